/**
 * Which packages make up the embedded runtime on this machine. node-llama-cpp lists a prebuilt
 * binary for every platform and GPU as an optional dependency (about 730 MB on linux-x64), so
 * Stepwise installs it without them and adds only this machine's: the CPU build, and the GPU
 * build when the machine has one (an NVIDIA driver, Apple silicon). Pinned exactly: the native
 * binaries and the API are tested together at this version.
 */
import * as fs from 'node:fs';

export const RUNTIME_VERSION = '3.21.1';

export type GpuKind = 'cuda' | 'metal' | 'vulkan';

/** The platform part of the prebuilt packages' names, or undefined where none is published. */
export function platformName(platform: NodeJS.Platform, arch: string): string | undefined {
  const os = { linux: 'linux', darwin: 'mac', win32: 'win' }[platform as string];
  if (!os) return undefined;
  const cpu = arch === 'arm' ? 'armv7l' : arch;
  const known = ['linux-x64', 'linux-arm64', 'linux-armv7l', 'linux-riscv64', 'mac-x64', 'mac-arm64', 'win-x64', 'win-arm64'];
  return known.includes(`${os}-${cpu}`) ? `${os}-${cpu}` : undefined;
}

/** The npm packages to install (exact versions), CPU first; [] where no prebuilt binary exists. */
export function runtimePackages(platform: NodeJS.Platform, arch: string, gpu: GpuKind | undefined): string[] {
  const name = platformName(platform, arch);
  if (!name) return [];
  const pin = (p: string) => `${p}@${RUNTIME_VERSION}`;
  // Apple silicon's only build is the Metal one; it runs on the CPU too.
  const base = name === 'mac-arm64' ? ['@node-llama-cpp/mac-arm64-metal'] : [`@node-llama-cpp/${name}`];
  const gpus: string[] = [];
  if (gpu === 'cuda' && (name === 'linux-x64' || name === 'win-x64')) gpus.push(`@node-llama-cpp/${name}-cuda`, `@node-llama-cpp/${name}-cuda-ext`);
  if (gpu === 'vulkan' && (name === 'linux-x64' || name === 'win-x64')) gpus.push(`@node-llama-cpp/${name}-vulkan`);
  return ['node-llama-cpp', ...base, ...gpus].map(pin);
}

/**
 * The GPU this machine has, as far as can be told without loading anything: an NVIDIA driver
 * (CUDA), Apple silicon (Metal). STEPWISE_EMBEDDED_GPU=cuda|vulkan|none overrides (AMD and Intel
 * GPUs run the Vulkan build, which is not chosen by itself: its driver cannot be told from files).
 */
export function detectGpu(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, arch: string = process.arch): GpuKind | undefined {
  const chosen = env.STEPWISE_EMBEDDED_GPU?.toLowerCase();
  if (chosen === 'none' || chosen === 'cpu') return undefined;
  if (chosen === 'cuda' || chosen === 'vulkan') return chosen;
  if (platform === 'darwin' && arch === 'arm64') return 'metal';
  if (platform === 'linux') return fs.existsSync('/proc/driver/nvidia/version') ? 'cuda' : undefined;
  if (platform === 'win32') {
    const system = env.SystemRoot ?? 'C:\\Windows';
    // l10n-ignore: a path
    return fs.existsSync(`${system}\\System32\\nvidia-smi.exe`) ? 'cuda' : undefined;
  }
  return undefined;
}
