import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	openSession,
	messageSends,
	MESSAGE_PHONE,
	useSandbox,
} from '../../fixtures';

const env = useSandbox();
const { send, sendBody, expectSent } = messageSends(env);

describe('Message → Send Location', () => {
	beforeEach(() => openSession(env, MESSAGE_PHONE));

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
