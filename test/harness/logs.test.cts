/**
 * The log recorder of test/harness/logs.cts: n8n's logger proxy and the logger n8n-core hands to
 * nodes both record into it, nothing reaches the console, and what no test asserted is reported.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { LoggerProxy } from 'n8n-workflow';

import { expectLogged, loggedLines, unassertedAndReset } from './logs.cjs';

describe('the log recorder', () => {
	it("records n8n's logger proxy and the container's logger, and prints nothing", () => {
		const print = jest.spyOn(process.stdout, 'write');
		LoggerProxy.warn('from the proxy');
		Container.get(Logger).error('from the container', { node: 'Azeer' });
		expect(print).not.toHaveBeenCalled();
		print.mockRestore();
		expect(expectLogged('warn', 'from the proxy')).toHaveLength(1);
		expect(expectLogged('error', /^from the container$/)[0].metadata).toEqual({ node: 'Azeer' });
	});

	it('reports the warnings and errors no test asserted, not the information lines', () => {
		LoggerProxy.info('for information');
		LoggerProxy.warn('asserted');
		LoggerProxy.error('forgotten');
		expectLogged('warn', 'asserted');
		expect(loggedLines()).toHaveLength(3);
		expect(unassertedAndReset()).toBe(
			'Logged but not asserted (assert with expectLogged from test/harness/logs):\n  [error] forgotten',
		);
		expect(loggedLines()).toHaveLength(0);
	});

	it('fails an assertion on a line that was not logged', () => {
		expect(() => expectLogged('error', 'never logged')).toThrow(
			'Nothing was logged at error matching never logged',
		);
	});
});
