/** The Template resource's parts used by both operations: the simplified output and its switch. */
import type { IDataObject } from 'n8n-workflow';

import { showFor, simplifyProperty } from '../../shared/descriptions';
import { simplifyWith } from '../../shared/requestHooks';
import { simplifyTemplate } from '../../shared/templates';
import type { Template } from '../../shared/templates';

export const simplify = simplifyWith(
	(record) => simplifyTemplate(record as unknown as Template) as IDataObject,
);

export const simplifyField = simplifyProperty(showFor('template', ['get', 'getAll']));
