/** The language-model provider fixture (test/fixtures/lm-test-provider), installed by the runner. */
import * as vscode from 'vscode';

const PROVIDER_ID = 'stepwise-test.lm-test-provider';

export type Step =
  | { text: string }
  | { toolCall: { name: string; input: object; id?: string } }
  | { error: string }
  | { lmError: 'NoPermissions' | 'Blocked' | 'NotFound'; message?: string }
  | { waitForCancel: true }
  | { hang: true };

export interface RecordedPart {
  type: 'text' | 'tool_call' | 'tool_result' | 'other';
  value?: string;
  callId?: string;
  name?: string;
  input?: unknown;
  content?: string[];
}

export interface RecordedRequest {
  model: string;
  messages: { role: string; content: RecordedPart[] }[];
  tools: string[];
  cancelled: boolean;
}

/** The fixture extension's exported API (plain JS, so typed here). */
export interface TestProvider {
  vendor: string;
  model: { id: string; name: string; maxInputTokens: number };
  setScript(responses: Step[][]): void;
  readonly requests: RecordedRequest[];
  readonly tokenCounts: number;
  setAvailable(available: boolean): void;
  reset(): void;
}

export async function testProvider(): Promise<TestProvider> {
  const extension = vscode.extensions.getExtension<TestProvider>(PROVIDER_ID);
  if (!extension) throw new Error(`${PROVIDER_ID} is not installed: the runner installs test/fixtures/lm-test-provider`);
  return extension.isActive ? extension.exports : extension.activate();
}
