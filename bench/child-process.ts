/**
 * Forking a bench child (the outside world, the app) with a typed IPC peer,
 * and ending it: the child must end by itself once disconnected, and is
 * killed when it has not within the bound. Used by the bench orchestrator
 * (bench/measure.ts) and the soak test, which runs Pulse in bench/app.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEndpoint, Peer, type Handlers, type RequestMap } from './ipc.ts';
import { EXIT_GRACE_MS } from './protocol.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WORLD_SCRIPT = fileURLToPath(new URL('./world.ts', import.meta.url));
export const APP_SCRIPT = fileURLToPath(new URL('./app.ts', import.meta.url));

export interface ChildHandle {
  name: string;
  process: ChildProcess;
  /** Resolves with how the process ended. */
  exited: Promise<string>;
}

export interface Child<Out extends RequestMap, In extends RequestMap> extends ChildHandle {
  peer: Peer<Out, In>;
}

export interface ForkOptions {
  /** Node flags on top of `--import tsx` (the soak adds --expose-gc to read RSS after a full GC). */
  nodeFlags?: readonly string[];
}

export function forkChild<Out extends RequestMap, In extends RequestMap>(
  name: string,
  script: string,
  args: readonly string[],
  handlers: Handlers<In>,
  options: ForkOptions = {},
): Child<Out, In> {
  const child = fork(script, [...args], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone: NaN and undefined in the figures survive the trip.
    serialization: 'advanced',
  });
  const peer = new Peer<Out, In>(name, childEndpoint(child), handlers);
  const exited = new Promise<string>((resolve) => {
    const ended = (how: string) => {
      peer.close(`the ${name} process ended (${how})`);
      resolve(how);
    };
    child.once('exit', (code, signal) => ended(signal ?? `code ${code}`));
    child.once('error', (error) => ended(`error: ${error.message}`));
  });
  return { name, process: child, peer, exited };
}

/** Disconnects the child, which must then end by itself; kills it if it has not within the bound. */
export async function finish(child: ChildHandle): Promise<void> {
  if (child.process.connected) child.process.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('still running'), 2 * EXIT_GRACE_MS);
  });
  const how = await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  if (how === 'still running') {
    process.stderr.write(`bench: the ${child.name} process did not end; killing it (pid ${child.process.pid}).\n`);
    child.process.kill('SIGKILL');
    await child.exited;
  } else if (how !== 'code 0') {
    process.stderr.write(`bench: the ${child.name} process ended with ${how}.\n`);
  }
}
