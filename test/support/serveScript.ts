/**
 * The scripted model server as a program, for CI's run of the real GitHub Action (ci.yml, job
 * "action"): `tsx test/support/serveScript.ts SCRIPT.json PORT [RECORD]` answers the script's
 * steps in order on 127.0.0.1:PORT until it is killed (the runner ends it with the job), and
 * writes what each chat request sent to the file RECORD (JSON, rewritten after each), for the
 * job to check what the model was shown.
 */
import * as fs from 'node:fs';
import { startScriptedServer, type ScriptStep } from './scriptedServer';

const [file, port, record] = process.argv.slice(2);
if (!file || !port || !/^\d+$/.test(port)) {
  process.stderr.write('usage: tsx test/support/serveScript.ts SCRIPT.json PORT [RECORD]\n');
  process.exit(2);
}
const script = JSON.parse(fs.readFileSync(file, 'utf8')) as ScriptStep[];
startScriptedServer(
  (request, index) => {
    if (record) fs.writeFileSync(record, JSON.stringify([...(index ? JSON.parse(fs.readFileSync(record, 'utf8')) : []), request.body]));
    return script[index] ?? { status: 500, body: { error: { message: 'the script has no more steps' } } };
  },
  { port: Number(port) },
).then(
  (server) => process.stdout.write(`scripted model server at ${server.url}\n`),
  (error: Error) => {
    process.stderr.write(`cannot start the scripted model server: ${error.message}\n`);
    process.exit(1);
  },
);
