/**
 * What n8n's queue mode needs besides n8n: Redis (Bull's queue) and PostgreSQL (the database all
 * n8n processes share). Both come from Debian packages and run as plain child processes on
 * 127.0.0.1 with their data in a temporary directory that is removed when they stop; they are
 * never system services.
 */
import type { SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	capture,
	ensureDebianPackage,
	freePort,
	onShutdown,
	run,
	startService,
	waitFor,
	type Service,
} from './process.cjs';

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';
// Debian bookworm's PostgreSQL; n8n 2.40 warns that 15 is not supported, and works with it.
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
export const DATABASE = 'n8n';
const DATABASE_USER = 'postgres';
/** For readiness probes: their "connection refused" until the server is up is expected. */
const QUIET: SpawnOptions = { stdio: ['ignore', 'pipe', 'ignore'] };

export interface Redis {
	port: number;
	service: Service;
}

export interface Postgres {
	port: number;
	service: Service;
	/** Runs one SQL statement on the n8n database; returns psql's unaligned rows (`|` between columns). */
	query(sql: string): Promise<string[][]>;
}

/** A temporary directory removed on shutdown (after the services registered later have stopped). */
function temporaryDir(prefix: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	onShutdown(async () => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

export async function startRedis(logsDir: string): Promise<Redis> {
	await ensureDebianPackage(REDIS_SERVER, 'redis-server');
	const dir = temporaryDir('azeer-redis-');
	const port = await freePort();
	const service = startService(
		'redis',
		REDIS_SERVER,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		],
		{ env: process.env, logFile: path.join(logsDir, 'redis.log') },
	);
	await waitFor(`redis on 127.0.0.1:${port}`, async () => {
		if (service.child.exitCode !== null)
			throw new Error(`redis exited with ${service.child.exitCode}`);
		const answer = await capture(
			REDIS_CLI,
			['-h', '127.0.0.1', '-p', String(port), 'ping'],
			QUIET,
		).catch(() => '');
		return answer.trim() === 'PONG' ? true : undefined;
	});
	return { port, service };
}

/**
 * initdb and postgres refuse to run as root: as root they run as Debian's `postgres` user, which
 * then owns the data directory.
 */
async function asDatabaseOwner(dataDir: string): Promise<string[]> {
	if (process.getuid?.() !== 0) return [];
	const id = async (flag: string) => Number((await capture('id', [flag, 'postgres'])).trim());
	fs.chownSync(dataDir, await id('-u'), await id('-g'));
	return ['runuser', '-u', 'postgres', '--'];
}

export async function startPostgres(logsDir: string): Promise<Postgres> {
	await ensureDebianPackage(path.join(POSTGRES_BIN, 'postgres'), 'postgresql-15');
	const dataDir = temporaryDir('azeer-postgres-');
	const prefix = await asDatabaseOwner(dataDir);
	const logFile = path.join(logsDir, 'postgres.log');
	const [command, ...args] = [...prefix, path.join(POSTGRES_BIN, 'initdb')];
	await run(
		command,
		[...args, '-D', dataDir, '-U', DATABASE_USER, '--auth=trust', '--encoding=UTF8', '--no-sync'],
		{
			logFile,
		},
	);
	const port = await freePort();
	const [serverCommand, ...serverArgs] = [...prefix, path.join(POSTGRES_BIN, 'postgres')];
	// Throw-away test data: durability settings off, so the database does not dominate the timings.
	const service = startService(
		'postgres',
		serverCommand,
		[
			...serverArgs,
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${dataDir}`,
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ env: process.env, logFile },
	);
	const psql = (database: string, sql: string, options: SpawnOptions = {}) =>
		capture(
			path.join(POSTGRES_BIN, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				DATABASE_USER,
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-tAc',
				sql,
			],
			options,
		);
	await waitFor(`postgres on 127.0.0.1:${port}`, async () => {
		if (service.child.exitCode !== null)
			throw new Error(`postgres exited with ${service.child.exitCode}; see ${logFile}`);
		return (await psql('postgres', 'select 1', QUIET)).trim() === '1' ? true : undefined;
	});
	await psql('postgres', `create database ${DATABASE}`);
	return {
		port,
		service,
		query: async (sql) =>
			(await psql(DATABASE, sql))
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('|')),
	};
}

/** The environment every n8n process of one queue-mode installation shares. */
export function queueModeEnv(options: {
	postgres: Postgres;
	redis: Redis;
	encryptionKey: string;
}): NodeJS.ProcessEnv {
	return {
		N8N_ENCRYPTION_KEY: options.encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(options.postgres.port),
		DB_POSTGRESDB_DATABASE: DATABASE,
		DB_POSTGRESDB_USER: DATABASE_USER,
		// n8n's default pool of 2 connections per process starves a worker running 10 executions:
		// they time out waiting for a connection ("timeout exceeded when trying to connect").
		DB_POSTGRESDB_POOL_SIZE: '10',
		// n8n pings its database every 2 s and, when one ping has not got a pooled connection and
		// `SELECT 1` within 5 s, answers every request "503 Database is not ready!" until a ping
		// succeeds. During a burst the pool is busy with executions, so on a loaded 2-core machine a
		// ping missed 5 s and each webhook process refused ~2,600 deliveries (measured, 2.40.7).
		DB_PING_TIMEOUT_MS: '30000',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(options.redis.port),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Production webhooks go to the webhook processes only (through the load balancer).
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
	};
}
