// Copies the icons into dist: tsc compiles the TypeScript, n8n reads SVGs beside the compiled files.
const { src, dest, parallel } = require('gulp');

const nodeIcons = () => src('nodes/**/*.svg', { encoding: false }).pipe(dest('dist/nodes'));
const packIcons = () => src('icons/**/*.svg', { encoding: false }).pipe(dest('dist/icons'));

exports['build:icons'] = parallel(nodeIcons, packIcons);
