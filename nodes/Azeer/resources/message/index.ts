/** The Message resource: its operation list and fields. */
import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../shared/descriptions';
import { sendCommonFields, sendOptionsField } from './common';
import { deleteFields, deleteOperation } from './delete';
import { deleteManyFields, deleteManyOperation } from './deleteMany';
import { sendAndWaitFields, sendAndWaitOperation } from '../../../shared/sendAndWait/description';
import { sendContactsFields, sendContactsOperation } from './sendContacts';
import { sendInteractiveFields, sendInteractiveOperation } from './sendInteractive';
import { sendLocationFields, sendLocationOperation } from './sendLocation';
import { sendMediaFields, sendMediaOperations } from './sendMedia';
import { sendTemplateFields, sendTemplateOperation } from './sendTemplate';
import { sendTextFields, sendTextOperation } from './sendText';

const sendOperations = [
	sendContactsOperation,
	...sendMediaOperations,
	sendInteractiveOperation,
	sendLocationOperation,
	sendTemplateOperation,
	sendTextOperation,
];
const sends = sendOperations.map((option) => String(option.value));

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
