// Copies what n8n reads beside the compiled nodes into dist: the icons, each node's codex file
// (<Node>.node.json: categories, aliases, documentation links) that tsc does not emit.
const { src, dest, parallel } = require('gulp');

const nodeIcons = () => src('nodes/**/*.svg', { encoding: false }).pipe(dest('dist/nodes'));
const nodeCodex = () => src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
const packIcons = () => src('icons/**/*.svg', { encoding: false }).pipe(dest('dist/icons'));

exports['build:icons'] = parallel(nodeIcons, nodeCodex, packIcons);
