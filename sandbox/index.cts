/**
 * The local Azeer sandbox: `startSandbox()` runs a stateful implementation of
 * contract/azeer.openapi.yaml on 127.0.0.1 for tests, demos and workflow building.
 */
import { AzeerSandbox } from './server.cjs';
import type { SandboxOptions } from './server.cjs';

export { AzeerSandbox, DEFAULT_KEYS } from './server.cjs';
export type { FaultKind, FaultSpec, LoggedRequest, SandboxOptions } from './server.cjs';
export type { DeliveryAttempt } from './deliveries.cjs';
export { signDelivery } from './deliveries.cjs';
export type { EmittedEvent, InboundInput } from './world.cjs';
export type { StoredMessage, StoredWebhook, MessageStatus, StateData } from './state.cjs';
export { BUSINESS_ID, BUSINESS_NUMBER } from './state.cjs';
export { loadContract } from './contract.cjs';

export type Sandbox = AzeerSandbox;

/** Starts a sandbox (port 0 = a free port) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await new AzeerSandbox(options).listen();
}
