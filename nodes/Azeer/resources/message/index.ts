/** The Message resource: its operation list and fields, and its operations run item by item. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { operation, perItemOperationsOf } from '../../routing/operation';
import { sendCommonFields, sendOptionsField } from './common';
import type { Send } from './common';
import { deleteFields, deleteSpec } from './delete';
import { deleteManyFields, deleteManySpec } from './deleteMany';
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
const deleteSpecs = [deleteSpec, deleteManySpec];

export const messageDescription: INodeProperties[] = [
	operationProperty(
		'message',
		[...deleteSpecs.map(operation), ...sendOperations, sendAndWaitOperation].sort((a, b) =>
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

/**
 * Every operation runs item by item (shared/operationRun.ts), not through n8n's routing engine:
 * the sends from their content builders, the deletes from their spec and fields (Send and Wait is
 * the node's own, see Azeer.node.ts).
 */
export const messageCustomOperations = {
	...Object.fromEntries(allSends.map((send) => [String(send.option.value), send.run])),
	...perItemOperationsOf('message', deleteSpecs, messageDescription),
};
