/**
 * The processes of `bench/connectionPromotion.cts`, each on its own so that V8's trace of one
 * process's garbage collections counts only that process's work:
 *
 *   node connectionClient.cjs serve <port>
 *   node --trace-gc-nvp connectionClient.cjs send <way> <port> <requests> <times file> [<n8n's node_modules>]
 *
 * `serve` answers every POST on 127.0.0.1 with a small JSON body, as the sandbox answers a send.
 * `send` sends `requests` template bodies at 1,000 per second, at most 32 in flight (the account
 * pacer's limits), one of five ways, and writes to `times file` when it started and finished
 * sending, in V8's clock (milliseconds since the process started).
 */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const PER_SECOND = 1000;
const MAX_IN_FLIGHT = 32;
const ANSWER = JSON.stringify({
	success: true,
	data: { message_id: 'wamid.bench', status: 'sent' },
});
const TEMPLATE_BODY = {
	phone: '966500000000',
	type: 'template',
	template: {
		name: 'order_update',
		language: 'en',
		components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sara' }] }],
	},
};

function serve(port) {
	const server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.setHeader('content-type', 'application/json');
			response.end(ANSWER);
		});
	});
	server.listen(port, '127.0.0.1');
}

/**
 * One send, the way `way` names: `reused` and `new-connection` with Node's http, `n8n` with n8n's
 * client as a node calls it, `n8n-shared-agents` with n8n's client sharing keep-alive agents, and
 * `n8n-shared-agents-no-redirects` also not following redirects (`disableFollowRedirect`).
 */
function senderFor(way, port, n8nModules) {
	if (way.startsWith('n8n')) {
		const axiosDir = path.join(n8nModules, '@n8n/backend-network/dist/http/axios');
		if (way.startsWith('n8n-shared-agents')) {
			// What n8n could do: keep-alive agents kept across requests instead of a new pair per
			// request (only http here). request.js looks setAxiosAgents up on this object per call.
			const utils = require(path.join(axiosDir, 'utils.js'));
			const agents = { httpAgent: new http.Agent({ keepAlive: true }) };
			utils.setAxiosAgents = (config) => Object.assign(config, agents);
		}
		const { httpRequest } = require(path.join(axiosDir, 'request.js'));
		return () =>
			httpRequest({
				method: 'POST',
				baseURL: `http://127.0.0.1:${port}/v1`,
				url: '/message/send',
				body: TEMPLATE_BODY,
				json: true,
				headers: { Accept: 'application/json', Authorization: 'Bearer bench' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: way === 'n8n-shared-agents-no-redirects',
			});
	}
	if (way !== 'reused' && way !== 'new-connection') throw new Error(`unknown way: ${way}`);
	// agent: false sends `Connection: close`, a new connection per request, as n8n's client does.
	const agent = way === 'reused' ? new http.Agent({ keepAlive: true }) : false;
	return () =>
		new Promise((resolve, reject) => {
			const body = JSON.stringify(TEMPLATE_BODY);
			const request = http.request(
				{
					host: '127.0.0.1',
					port,
					path: '/v1/message/send',
					method: 'POST',
					agent,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
					},
				},
				(response) => {
					const chunks = [];
					response.on('data', (chunk) => chunks.push(chunk));
					response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
				},
			);
			request.on('error', reject);
			request.end(body);
		});
}

function send(way, port, requests, timesFile, n8nModules) {
	const sendOne = senderFor(way, Number(port), n8nModules);
	const total = Number(requests);
	const startedAt = performance.now();
	let started = 0;
	let inFlight = 0;
	let done = 0;
	const pump = () => {
		const due = ((performance.now() - startedAt) * PER_SECOND) / 1000;
		while (inFlight < MAX_IN_FLIGHT && started < total && started < due) {
			started++;
			inFlight++;
			sendOne().then(
				() => {
					inFlight--;
					if (++done === total) finish();
				},
				(error) => {
					process.stderr.write(`send failed: ${error.message}\n`);
					process.exit(1);
				},
			);
		}
	};
	const timer = setInterval(pump, 1);
	const finish = () => {
		clearInterval(timer);
		fs.writeFileSync(timesFile, JSON.stringify({ startedAt, finishedAt: performance.now() }));
		// Kept-alive sockets would hold the process open; exit() flushes V8's trace.
		process.exit(0);
	};
}

const [role, ...rest] = process.argv.slice(2);
if (role === 'serve') serve(Number(rest[0]));
else if (role === 'send') send(...rest);
else
	throw new Error(
		'usage: connectionClient.cjs serve <port> | send <way> <port> <requests> <times file>',
	);
