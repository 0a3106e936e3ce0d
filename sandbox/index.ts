/**
 * The local Azeer sandbox: `startSandbox()` runs a stateful implementation of
 * contract/azeer.openapi.yaml on 127.0.0.1 for tests, demos and workflow building.
 */
import { AzeerSandbox } from './server';
import type { SandboxOptions } from './server';

export { AzeerSandbox, DEFAULT_KEYS } from './server';
export type { FaultKind, FaultSpec, LoggedRequest, SandboxOptions } from './server';
export type { DeliveryAttempt } from './deliveries';
export { signDelivery } from './deliveries';
export type { EmittedEvent, InboundInput } from './world';
export type { StoredMessage, StoredWebhook, MessageStatus, StateData } from './state';
export { BUSINESS_ID, BUSINESS_NUMBER } from './state';
export { loadContract } from './contract';

export type Sandbox = AzeerSandbox;

/** Starts a sandbox (port 0 = a free port) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await new AzeerSandbox(options).listen();
}
