#!/usr/bin/env node
// Installs the example web app's dependencies (from the one package-lock.json) when they are
// missing: the web project's build and typecheck targets run it first. `npm start` never needs them.
'use strict';
const { join } = require('node:path');
const { ensureWebInstalled } = require('./npm-install-state');

process.exit(ensureWebInstalled(join(__dirname, '..', '..')));
