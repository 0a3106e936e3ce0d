/** Whose code a frame of a V8 profile of n8n is (CPU profiles and allocation profiles alike). */

export interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

/** What a frame belongs to, tested on its script's URL (or its name for V8's own entries). */
export const OWNERS: Array<{ owner: string; matches: (frame: CallFrame) => boolean }> = [
	{
		owner: 'ours (n8n-nodes-azeer)',
		matches: (frame) => frame.url.includes('node_modules/n8n-nodes-azeer/'),
	},
	{
		owner: 'expression engine',
		matches: (frame) =>
			/n8n-workflow\/dist\/.*(expression|extensions)|@n8n\/(expression-runtime|tournament)|isolated-vm/.test(
				frame.url,
			),
	},
	{
		owner: 'task runner handoff (Code node)',
		matches: (frame) => /task-runners?\/|task-broker/.test(frame.url),
	},
	{
		owner: 'execution save and database',
		matches: (frame) =>
			/typeorm|sqlite3|repositories\/execution|execution-persistence|executions\/|flatted/.test(
				frame.url,
			),
	},
	{
		owner: "n8n's HTTP client",
		matches: (frame) =>
			/@n8n\/backend-network|\/axios\/|follow-redirects|proxy-from-env|^node:(_http|net|dns|tls|internal\/(http|net|dns|stream))/.test(
				frame.url,
			),
	},
	{
		owner: 'n8n start-up (loading modules and nodes)',
		matches: (frame) =>
			/load-nodes-and-credentials|tool-generation|nodes-loader|^node:internal\/modules/.test(
				frame.url,
			),
	},
	{ owner: 'garbage collector', matches: (frame) => frame.functionName === '(garbage collector)' },
];

/** The package (or "node" for Node's own code) of the innermost frame of a stack with a script. */
export function leafOwner(stack: CallFrame[]): string {
	const frame = stack.find((candidate) => candidate.url !== '');
	if (!frame) return stack[0]?.functionName ?? '(none)';
	const named = OWNERS.find(({ matches }) => matches(frame));
	if (named) return named.owner;
	if (frame.url.startsWith('node:')) return 'node';
	const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
	return inPackage ? inPackage[1] : frame.url;
}

export const frameName = (frame: CallFrame) => {
	const file = frame.url.includes('node_modules/')
		? frame.url.slice(frame.url.lastIndexOf('node_modules/') + 'node_modules/'.length)
		: frame.url.replace(/^file:\/\//, '');
	return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
};
