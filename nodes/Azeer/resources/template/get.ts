/** Template → Get: one template by name and language. */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { showFor, templateLocator } from '../../shared/descriptions';
import type { OperationSpec } from '../../routing/operation';
import { fail, unwrapData, validate } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { lookupTemplate } from '../../shared/templateApi';
import { parseTemplateRef } from '../../shared/templates';
import type { Template } from '../../shared/templates';
import { simplify } from './common';

async function pickTemplate(this: IExecuteSingleFunctions, items: INodeExecutionData[]) {
	const ref = parseTemplateRef(parameter(this, 'template', ''));
	if (!ref) return fail(this, 'No template chosen');
	const lookup = lookupTemplate(
		items.map((item) => item.json as unknown as Template),
		ref,
	);
	if ('problem' in lookup) return fail(this, lookup.problem, lookup.hint);
	return [{ json: lookup.template as unknown as IDataObject }];
}

export const getSpec: OperationSpec = {
	name: 'Get',
	value: 'get',
	action: 'Get template',
	description: 'Get one template by name and language, with its components and placeholders',
	endpoint: 'listTemplates',
	preSend: [
		validate(
			'template',
			(value) => parseTemplateRef(value) !== undefined,
			() => 'No template chosen',
			'Pick a template, or give it like order_update|en.',
		),
	],
	postReceive: [unwrapData, pickTemplate, simplify],
};

export const getFields: INodeProperties[] = [templateLocator(showFor('template', 'get'))];
