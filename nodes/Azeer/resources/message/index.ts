/** The Message resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { sendCommonFields, sendOptionsField } from './common';
import type { Send } from './common';
import { deleteFields, deleteOperation } from './delete';
import { deleteManyFields, deleteManyOperation } from './deleteMany';
import { sendAndWaitFields, sendAndWaitOperation } from '../../../shared/sendAndWait/description';
import { sendContacts, sendContactsFields } from './sendContacts';
import { sendInteractive, sendInteractiveFields } from './sendInteractive';
import { sendLocation, sendLocationFields } from './sendLocation';
import { sendMedia, sendMediaFields } from './sendMedia';
import { sendTemplate, sendTemplateFields } from './sendTemplate';
import { sendText, sendTextFields } from './sendText';

const allSends: Send[] = [
	sendContacts,
	...sendMedia,
	sendInteractive,
	sendLocation,
	sendTemplate,
	sendText,
];
const sendOperations = allSends.map((send) => send.option);
const sends = sendOperations.map((option) => String(option.value));

/** The sends run item by item (custom operations), not through n8n's routing engine. */
export const messageCustomOperations = Object.fromEntries(
	allSends.map((send) => [String(send.option.value), send.run]),
);

export const messageDescription: INodeProperties[] = [
	operationProperty(
		'message',
		[deleteOperation, deleteManyOperation, ...sendOperations, sendAndWaitOperation].sort((a, b) =>
			a.name.localeCompare(b.name),
		),
		'sendText',
	),
	...sendCommonFields(sends),
	...sendTextFields,
	...sendTemplateFields,
	...sendMediaFields,
	...sendLocationFields,
	...sendContactsFields,
	...sendInteractiveFields,
	...deleteFields,
	...deleteManyFields,
	...sendAndWaitFields,
	sendOptionsField(sends),
];
