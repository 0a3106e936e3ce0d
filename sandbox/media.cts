/**
 * Small but valid media files for simulated inbound messages, built in code (no binary files in
 * the repository): a grey 16×16 baseline JPEG, a 16×16 PNG, one second of Opus silence in Ogg,
 * a one-page PDF and an MP4 container without tracks.
 */
import { crc32, deflateSync } from 'node:zlib';

function u16(n: number): Buffer {
	const b = Buffer.alloc(2);
	b.writeUInt16BE(n);
	return b;
}

function u32(n: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n >>> 0);
	return b;
}

function segment(marker: number, payload: Buffer): Buffer {
	return Buffer.concat([Buffer.from([0xff, marker]), u16(payload.length + 2), payload]);
}

/** Grey JPEG: every 8×8 block has DC difference 0 and no AC terms, so each block is coded as "00". */
function jpeg(size = 16): Buffer {
	const blocks = (size / 8) ** 2;
	const huffmanOneSymbol = (tableClass: number) =>
		Buffer.concat([
			Buffer.from([tableClass << 4]),
			Buffer.from([1, ...new Array(15).fill(0)]),
			Buffer.from([0]),
		]);
	const bits = '00'.repeat(blocks).padEnd(Math.ceil((blocks * 2) / 8) * 8, '1');
	const scan = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
		segment(0xdb, Buffer.from([0, ...new Array(64).fill(1)])),
		segment(
			0xc0,
			Buffer.concat([Buffer.from([8]), u16(size), u16(size), Buffer.from([1, 1, 0x11, 0])]),
		),
		segment(0xc4, huffmanOneSymbol(0)),
		segment(0xc4, huffmanOneSymbol(1)),
		segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
		scan,
		Buffer.from([0xff, 0xd9]),
	]);
}

function pngChunk(type: string, data: Buffer): Buffer {
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	return Buffer.concat([u32(data.length), typed, u32(crc32(typed))]);
}

function png(size = 16): Buffer {
	const row = Buffer.concat([
		Buffer.from([0]),
		Buffer.from(new Array(size).fill([0x1c, 0xa0, 0x8a]).flat()),
	]);
	const raw = Buffer.concat(new Array(size).fill(row));
	const header = Buffer.concat([u32(size), u32(size), Buffer.from([8, 2, 0, 0, 0])]);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

const OGG_CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
	let r = i << 24;
	for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
	return r >>> 0;
});

function oggCrc(data: Buffer): number {
	let crc = 0;
	for (const byte of data) crc = ((crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
	return crc;
}

function oggPage(packets: Buffer[], headerType: number, granule: bigint, sequence: number): Buffer {
	const lacing = packets.flatMap((p) => [
		...new Array(Math.floor(p.length / 255)).fill(255),
		p.length % 255,
	]);
	const header = Buffer.alloc(27);
	header.write('OggS', 0, 'ascii');
	header[5] = headerType;
	header.writeBigUInt64LE(granule, 6);
	header.writeUInt32LE(0x617a6565, 14); // stream serial "azee"
	header.writeUInt32LE(sequence, 18);
	header[26] = lacing.length;
	const page = Buffer.concat([header, Buffer.from(lacing), ...packets]);
	page.writeUInt32LE(oggCrc(page), 22);
	return page;
}

/** One second of silence: 50 Opus packets of one TOC byte (20 ms CELT frames, zero-length = silence). */
function ogg(): Buffer {
	const head = Buffer.concat([
		Buffer.from('OpusHead', 'ascii'),
		Buffer.from([1, 1]),
		Buffer.from([0x38, 0x01]),
		Buffer.from([0x80, 0xbb, 0, 0]),
		Buffer.from([0, 0, 0]),
	]);
	const vendor = Buffer.from('azeer-sandbox', 'ascii');
	const vendorLength = Buffer.alloc(4);
	vendorLength.writeUInt32LE(vendor.length);
	const tags = Buffer.concat([
		Buffer.from('OpusTags', 'ascii'),
		vendorLength,
		vendor,
		Buffer.alloc(4),
	]);
	const audio = new Array(50).fill(Buffer.from([0xf8]));
	return Buffer.concat([
		oggPage([head], 0x02, 0n, 0),
		oggPage([tags], 0x00, 0n, 1),
		oggPage(audio, 0x04, 48000n + 312n, 2),
	]);
}

function pdf(): Buffer {
	const content = 'BT /F1 18 Tf 72 720 Td (Azeer sandbox sample document) Tj ET';
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'ascii'), body]);
}

function mp4(): Buffer {
	const ftyp = box(
		'ftyp',
		Buffer.from('isom', 'ascii'),
		u32(512),
		Buffer.from('isomiso2mp41', 'ascii'),
	);
	const matrix = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].map(u32);
	const mvhd = box(
		'mvhd',
		u32(0),
		u32(0),
		u32(0),
		u32(1000),
		u32(0),
		u32(0x10000),
		u16(0x100),
		Buffer.alloc(10),
		...matrix,
		Buffer.alloc(24),
		u32(1),
	);
	return Buffer.concat([ftyp, box('moov', mvhd)]);
}

export const MEDIA_FILES: Record<string, { type: string; bytes: () => Buffer }> = {
	'sample.jpg': { type: 'image/jpeg', bytes: () => jpeg() },
	'sample.png': { type: 'image/png', bytes: () => png() },
	'sample.ogg': { type: 'audio/ogg', bytes: () => ogg() },
	'sample.pdf': { type: 'application/pdf', bytes: () => pdf() },
	'sample.mp4': { type: 'video/mp4', bytes: () => mp4() },
};

const cache = new Map<string, Buffer>();

export function mediaFile(name: string): { type: string; bytes: Buffer } | undefined {
	const entry = MEDIA_FILES[name];
	if (!entry) return undefined;
	if (!cache.has(name)) cache.set(name, entry.bytes());
	return { type: entry.type, bytes: cache.get(name)! };
}
