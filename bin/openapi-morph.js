#!/usr/bin/env node
"use strict";
require("../dist/generator/cli/main.js").main(process.argv.slice(2));
