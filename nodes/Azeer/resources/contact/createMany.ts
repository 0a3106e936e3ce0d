/** Contact → Create Many: its modes and the run that creates many contacts with per-item results. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { EndpointName } from '../../../shared/endpoints';
import { azeerApiRequest } from '../../../shared/transport';
import { RunParameters } from '../../shared/itemContext';
import { errorItem, eventLoopYielder } from '../../shared/operationRun';
import type { ContactIn } from './contactFields';
import { contactFromParameters } from './contactFields';

/** How many contacts one request may carry, per mode, and where it goes. */
export const CREATE_MANY_MODES: Record<string, { batchSize: number; endpoint: EndpointName }> = {
	sync: { batchSize: 15, endpoint: 'createContacts' },
	async: { batchSize: 1000, endpoint: 'createContacts' },
	bulk: { batchSize: 1000, endpoint: 'createBulkContacts' },
};

export const createManyOperation: INodePropertyOptions = {
	name: 'Create Many',
	value: 'createMany',
	action: 'Create many contacts',
	description:
		'Create one contact per input item, sent in as few requests as possible (up to 1000 per request)',
};

export const createManyFields: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Async (up to 1000 per Request)',
				value: 'async',
				description: 'Azeer queues the contacts and creates them shortly after; fewest requests',
			},
			{
				name: 'Bulk Endpoint (up to 1000 per Request)',
				value: 'bulk',
				description: 'Uses the bulk contacts endpoint; answers with the number accepted',
			},
			{
				name: 'Sync (up to 15 per Request)',
				value: 'sync',
				description: 'Contacts exist when the request returns',
			},
		],
		default: 'async',
		description:
			'How the contacts of all input items are sent; the node groups items into as few requests as the mode allows',
		displayOptions: { show: { resource: ['contact'], operation: ['createMany'] } },
	},
];

interface Pending {
	itemIndex: number;
	contact: ContactIn;
}

/**
 * Contact → Create Many. Declarative routing sends one request per item; this custom operation
 * reads a contact from every input item and sends them in batches of the mode's size, then
 * returns one item per input item. Invalid inputs are rejected before any request. The reading
 * of the items hands the event loop back to n8n regularly, and reads each parameter without an
 * expression once.
 */
export async function createManyContacts(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const mode = this.getNodeParameter('mode', 0) as string;
	const { batchSize, endpoint } = CREATE_MANY_MODES[mode] ?? CREATE_MANY_MODES.async;
	const results: INodeExecutionData[] = new Array(items.length);
	const pending: Pending[] = [];
	const parameters = new RunParameters(this);
	const yieldIfBusy = eventLoopYielder();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		await yieldIfBusy();
		try {
			const read = (name: string, fallback: unknown) => parameters.read(name, itemIndex, fallback);
			pending.push({ itemIndex, contact: contactFromParameters(read, this.getNode(), itemIndex) });
		} catch (error) {
			if (!this.continueOnFail())
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			results[itemIndex] = errorItem(itemIndex, error as Error);
		}
	}
	for (let start = 0, batch = 1; start < pending.length; start += batchSize, batch++) {
		const chunk = pending.slice(start, start + batchSize);
		const body: IDataObject = { contacts: chunk.map((entry) => entry.contact) };
		if (endpoint === 'createContacts') body.mode = mode;
		try {
			const response = await azeerApiRequest(this, endpoint, {
				body,
				itemIndex: chunk[0].itemIndex,
			});
			const accepted = (response.data as IDataObject | undefined)?.accepted;
			for (const entry of chunk) {
				results[entry.itemIndex] = {
					json: {
						...entry.contact,
						status: mode === 'sync' ? 'created' : 'accepted',
						mode,
						batch,
						batchSize: chunk.length,
						...(accepted !== undefined ? { batchAccepted: accepted } : {}),
					},
					pairedItem: { item: entry.itemIndex },
				};
			}
		} catch (error) {
			if (!this.continueOnFail()) {
				throw new NodeApiError(this.getNode(), error as JsonObject, {
					itemIndex: chunk[0].itemIndex,
				});
			}
			for (const entry of chunk)
				results[entry.itemIndex] = errorItem(entry.itemIndex, error as Error);
		}
	}
	return [results];
}
