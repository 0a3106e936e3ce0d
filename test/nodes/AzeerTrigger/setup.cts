import type { INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../../sandbox/index.cjs';
import type { CredentialMap } from '../../harness/engine.cjs';
import { expectLogged, lineText } from '../../harness/logs.cjs';
import { TriggerHost } from './host.cjs';
import type { HostOptions, Mode } from './host.cjs';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface World {
	sandbox: Sandbox;
	host: TriggerHost;
	credentials: CredentialMap;
	stop(): Promise<void>;
}

/** A sandbox with fast retries and a trigger host using a read-write key against it. */
export async function startWorld(
	parameters: INodeParameters,
	files?: HostOptions['files'],
): Promise<World> {
	const sandbox = await startSandbox({ retryDelaysMs: [50, 100, 200], statusDelayMs: -1 });
	const credentials: CredentialMap = {
		azeerApi: { apiKey: sandbox.keys.readWrite[0], baseUrl: sandbox.baseUrl },
	};
	const host = await TriggerHost.start({ parameters, credentials, files });
	return {
		sandbox,
		host,
		credentials,
		async stop() {
			await sandbox.stop();
			await host.stop();
		},
	};
}

/** The sandbox's webhooks whose URL (without the token) is the host's URL for `mode`. */
export function webhooksOf(world: World, mode: Mode = 'production') {
	return world.sandbox
		.webhooks()
		.filter((webhook) => webhook.url.split('?')[0] === world.host.url(mode));
}

/** A webhook as the sandbox holds it, with the query of its registered URL split out. */
export interface RegisteredWebhook {
	id: number;
	event: string;
	url: string;
	nonce: string;
	secret: string;
}

/** The webhooks registered on the sandbox for the host's `mode` URL, with their nonce and secret. */
export function registeredOf(world: World, mode: Mode = 'production'): RegisteredWebhook[] {
	return webhooksOf(world, mode).map((webhook) => {
		const query = new URL(webhook.url).searchParams;
		return {
			id: webhook.id,
			event: webhook.event,
			url: webhook.url,
			nonce: query.get('nonce') ?? '',
			secret: webhook.securetoken,
		};
	});
}

/**
 * The reasons of the deliveries the trigger refused (its 401 warnings) since the last call, each
 * checked to carry none of the sandbox's API keys nor a webhook's token.
 */
export function refusalsLogged(world: World): string[] {
	const prefix = 'Azeer Trigger: refused a delivery (401): ';
	const secrets = [
		...world.sandbox.keys.readWrite,
		...world.sandbox.keys.readOnly,
		...world.sandbox.webhooks().map((webhook) => webhook.securetoken),
	];
	return expectLogged('warn', prefix).map((line) => {
		for (const secret of secrets) expect(lineText(line)).not.toContain(secret);
		return line.message.slice(prefix.length);
	});
}
