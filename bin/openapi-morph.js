#!/usr/bin/env node
"use strict";
require("../dist/generator/cli.js").main(process.argv.slice(2));
