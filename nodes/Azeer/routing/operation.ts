/** The description of a declarative operation: its routing block, which n8n's routing engine runs. */
import type {
	IDataObject,
	INodeProperties,
	INodePropertyOptions,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import { endpointRequest } from '../../shared/endpoints';
import type { EndpointName } from '../../shared/endpoints';
import { azeerResponseHandler, rememberRequest } from './itemState';
import type { ErrorRecovery } from './itemState';
import { pacedSend } from './requestPath';

interface OperationSpec {
	name: string;
	value: string;
	action: string;
	description: string;
	endpoint: EndpointName;
	/** n8n expressions for the `{param}` placeholders of the endpoint's path. */
	path?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	preSend?: PreSendAction[];
	postReceive?: PostReceiveAction[];
	/** Answers an error response instead of failing (see ErrorRecovery). */
	recover?: ErrorRecovery;
}

/**
 * An operation option whose request comes from ENDPOINTS, is sent through the run's checks and the
 * account's pacer (requestPath.ts), and whose answer goes through the shared error and envelope handling.
 */
export function operation(spec: OperationSpec): INodePropertyOptions {
	return {
		name: spec.name,
		value: spec.value,
		action: spec.action,
		description: spec.description,
		routing: {
			request: {
				...endpointRequest(spec.endpoint, spec.path),
				ignoreHttpStatusErrors: true,
				...(spec.qs ? { qs: spec.qs } : {}),
				...(spec.body ? { body: spec.body } : {}),
			},
			// paginate + pagination: routing hands the built request to pacedSend instead of sending it.
			send: { paginate: true, ...(spec.preSend ? { preSend: spec.preSend } : {}) },
			operations: { pagination: pacedSend },
			output: { postReceive: [azeerResponseHandler(spec.recover), ...(spec.postReceive ?? [])] },
		},
	};
}

/**
 * Last property of the node: its preSend runs after every other one, so it sees the request
 * exactly as sent (kept for the 24-hour window fallback). It has no UI.
 */
export const requestTrackingProperty: INodeProperties = {
	displayName: 'Request Tracking',
	name: 'requestTracking',
	type: 'hidden',
	default: '',
	routing: { send: { preSend: [rememberRequest] } },
};
