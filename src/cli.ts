#!/usr/bin/env node
import { main } from './cli/main.js';

// Exit explicitly: a client library's idle handle must not keep a finished CLI alive.
process.exit(await main(process.argv.slice(2)));
