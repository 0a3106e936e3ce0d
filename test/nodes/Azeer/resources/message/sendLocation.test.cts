import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send, sendBody, expectSent } = useMessageSandbox({ windowOpen: true });

describe('Message → Send Location', () => {
	it('sendLocation sends coordinates and details', async () => {
		const result = await send('sendLocation', {
			latitude: 24.7136,
			longitude: 46.6753,
			locationDetails: { name: 'Shop', address: 'King Fahd Rd' },
		});
		expectSent(result, 'location');
		expectOneRequest(env, {
			body: sendBody('location', {
				location: { latitude: 24.7136, longitude: 46.6753, name: 'Shop', address: 'King Fahd Rd' },
			}),
		});
	});

	it('sendLocation rejects a latitude out of range', async () => {
		const result = await send('sendLocation', { latitude: 95, longitude: 46 });
		expectRejectedBeforeRequest(env, result, /Latitude 95 is not between -90 and 90/);
	});
});
