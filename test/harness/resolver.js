// Jest's resolver for the dev tooling's TypeScript (.cts): a relative `./x.cjs` import names the
// compiled form of `./x.cts`, as TypeScript and tsx read it.
const fs = require('node:fs');
const path = require('node:path');

module.exports = (request, options) => {
	if (/^\.{1,2}\/.*\.cjs$/.test(request)) {
		const source = path.resolve(options.basedir, request.replace(/\.cjs$/, '.cts'));
		if (fs.existsSync(source)) return source;
	}
	return options.defaultResolver(request, options);
};
