/**
 * Which TCP addresses a set of processes listens on, read from /proc (Linux): the sockets in each
 * process's fd table, matched by inode against /proc/net/tcp and /proc/net/tcp6.
 */
import fs from 'node:fs';

const LISTEN_STATE = '0A';

function readdir(dir: string): string[] {
	try {
		return fs.readdirSync(dir);
	} catch {
		return []; // the process ended meanwhile, or is not ours to read
	}
}

/** The processes in process group `groupId` (a service started in its own group, e.g. n8n and its task runner). */
export function processGroup(groupId: number): number[] {
	return readdir('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.filter((pid) => {
			try {
				const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
				// "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
				const [, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				return Number(pgrp) === groupId;
			} catch {
				return false;
			}
		})
		.map(Number);
}

function socketInodes(pids: number[]): Set<string> {
	const inodes = new Set<string>();
	for (const pid of pids) {
		for (const fd of readdir(`/proc/${pid}/fd`)) {
			try {
				const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
				if (match) inodes.add(match[1]);
			} catch {
				// fd closed meanwhile
			}
		}
	}
	return inodes;
}

/** /proc/net/tcp* writes addresses as little-endian 32-bit hex words. */
function decodeAddress(hex: string): string {
	const [address, port] = hex.split(':');
	const words = address.match(/.{8}/g) ?? [];
	const bytes = words.flatMap((word) =>
		(word.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)),
	);
	const host =
		bytes.length === 4
			? bytes.join('.')
			: `[${(
					bytes
						.map((byte) => byte.toString(16).padStart(2, '0'))
						.join('')
						.match(/.{4}/g) ?? []
				).join(':')}]`;
	return `${host}:${parseInt(port, 16)}`;
}

/** The addresses the processes listen on, like "127.0.0.1:5678" or "[0000:...:0000]:80" for IPv6. */
export function listeningAddresses(pids: number[]): string[] {
	const inodes = socketInodes(pids);
	const addresses: string[] = [];
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const rows = fs.existsSync(table)
			? fs.readFileSync(table, 'utf8').trim().split('\n').slice(1)
			: [];
		for (const row of rows) {
			const fields = row.trim().split(/\s+/);
			if (fields[3] === LISTEN_STATE && inodes.has(fields[9]))
				addresses.push(decodeAddress(fields[1]));
		}
	}
	return addresses.sort();
}
