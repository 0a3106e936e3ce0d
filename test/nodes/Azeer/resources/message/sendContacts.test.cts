import {
	expectOneRequest,
	expectRejectedBeforeRequest,
	useMessageSandbox,
} from '../../fixtures.cjs';

const { env, send, sendBody, expectSent } = useMessageSandbox({ windowOpen: true });

describe('Message → Send Contacts', () => {
	it('sendContacts sends contact cards in WhatsApp Cloud shape', async () => {
		const result = await send('sendContacts', {
			contacts: {
				contact: [
					{
						formattedName: 'Sara Ahmed',
						firstName: 'Sara',
						phone: '+966 50 123 4567',
						email: 'sara@example.com',
					},
					{ formattedName: 'Support', company: 'Shop' },
				],
			},
		});
		expectSent(result, 'contacts');
		expectOneRequest(env, {
			body: sendBody('contacts', {
				contacts: [
					{
						name: { formatted_name: 'Sara Ahmed', first_name: 'Sara' },
						phones: [{ phone: '+966 50 123 4567' }],
						emails: [{ email: 'sara@example.com' }],
					},
					{ name: { formatted_name: 'Support' }, org: { company: 'Shop' } },
				],
			}),
		});
	});

	it('sendContacts rejects a send without cards', async () => {
		const result = await send('sendContacts', {});
		expectRejectedBeforeRequest(env, result, /at least one contact card/);
	});
});
