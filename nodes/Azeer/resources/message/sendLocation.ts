/** Message → Send Location. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { validate } from '../../shared/requestHooks';
import { parameter } from '../../routing/itemState';
import { sendOperation } from './common';
import { showFor } from '../../shared/descriptions';

const inRange = (max: number) => (value: unknown) =>
	value !== '' &&
	value !== null &&
	Number.isFinite(Number(value)) &&
	Math.abs(Number(value)) <= max;

export const sendLocation = sendOperation({
	name: 'Send Location',
	value: 'sendLocation',
	action: 'Send location message',
	description: 'Send a map pin (within the 24-hour window)',
	type: 'location',
	content: (context) => {
		const details = parameter<IDataObject>(context, 'locationDetails', {});
		return {
			location: {
				latitude: parameter(context, 'latitude', 0),
				longitude: parameter(context, 'longitude', 0),
				...('address' in details ? { address: details.address } : {}),
				...('name' in details ? { name: details.name } : {}),
			},
		};
	},
	preSend: [
		validate(
			'latitude',
			inRange(90),
			(value) => `Latitude ${String(value)} is not between -90 and 90`,
		),
		validate(
			'longitude',
			inRange(180),
			(value) => `Longitude ${String(value)} is not between -180 and 180`,
		),
	],
});

const displayOptions = showFor('message', 'sendLocation');

function coordinateField(displayName: 'Latitude' | 'Longitude', max: number): INodeProperties {
	const name = displayName.toLowerCase();
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { numberPrecision: 6 },
		required: true,
		default: 0,
		description: `${displayName} in degrees, -${max} to ${max}`,
		displayOptions,
		routing: { send: { type: 'body', property: `location.${name}` } },
	};
}

export const sendLocationFields: INodeProperties[] = [
	coordinateField('Latitude', 90),
	coordinateField('Longitude', 180),
	{
		displayName: 'Location Details',
		name: 'locationDetails',
		type: 'collection',
		placeholder: 'Add detail',
		default: {},
		description: 'Optional name and address shown under the map pin',
		displayOptions,
		options: [
			{
				displayName: 'Address',
				name: 'address',
				type: 'string',
				default: '',
				description: 'Street address of the place, e.g. King Fahd Rd, Riyadh',
				routing: { send: { type: 'body', property: 'location.address' } },
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Name of the place, e.g. the shop',
				routing: { send: { type: 'body', property: 'location.name' } },
			},
		],
	},
];
