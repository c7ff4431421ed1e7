'use strict';
/** The vocabulary of the sample store: an art shop's products, synthetic names and places, carriers. */

const PRODUCTS = {
	printA4: { title: 'Art Print A4', variantTitle: 'Harbour at Dawn', sku: 'PRT-A4-HARBOUR', cents: 3_800 },
	printA3: { title: 'Art Print A3', variantTitle: 'Midnight Forest', sku: 'PRT-A3-FOREST', cents: 5_600 },
	framed: { title: 'Framed Print 50x70', variantTitle: 'Coastal Lines / Oak frame', sku: 'FRM-5070-COAST', cents: 18_900 },
	canvas: { title: 'Canvas 60x90', variantTitle: 'Desert Bloom', sku: 'CNV-6090-BLOOM', cents: 26_500 },
	giclee: { title: 'Limited Edition Giclee', variantTitle: 'Quiet Lake (1/50)', sku: 'LTD-GCL-LAKE', cents: 42_000 },
	original: { title: 'Original Watercolour', variantTitle: 'Morning Market', sku: 'ORG-WTC-MARKET', cents: 78_000 },
	cards: { title: 'Greeting Card Set', variantTitle: 'Botanicals (8 cards)', sku: 'CRD-SET-BOTAN', cents: 1_800 },
	bundle: { title: 'Sketchbook Print Bundle', variantTitle: 'Studio Studies', sku: 'BND-SKT-STUDIO', cents: 9_500 },
};

/** How often each product is bought: small prints often, originals rarely. */
const PRODUCT_WEIGHTS = [
	[PRODUCTS.printA4, 30],
	[PRODUCTS.printA3, 25],
	[PRODUCTS.cards, 15],
	[PRODUCTS.bundle, 9],
	[PRODUCTS.framed, 12],
	[PRODUCTS.canvas, 6],
	[PRODUCTS.giclee, 2.5],
	[PRODUCTS.original, 0.8],
];

const FIRST_NAMES = [
	'Ada', 'Ben', 'Cleo', 'Dev', 'Elin', 'Finn', 'Gia', 'Hugo', 'Iris', 'Jude', 'Kai', 'Lena', 'Milo', 'Nia',
	'Otto', 'Pia', 'Quin', 'Rosa', 'Sami', 'Tess', 'Ugo', 'Vida', 'Wren', 'Xavi', 'Yara', 'Zeke', 'Alma', 'Bram',
	'Cora', 'Dario', 'Edie', 'Faye', 'Gus', 'Hana', 'Ivo', 'Juno', 'Kit', 'Lior', 'Maya', 'Noel',
];

/** Surnames that are plainly placeholders, so nobody mistakes the sample store for real people. */
const LAST_NAMES = [
	'Sampleton', 'Placeholder', 'Mockridge', 'Testwell', 'Fixturson', 'Demoford', 'Stubbins', 'Examplar',
	'Dummington', 'Seedwell', 'Fakeley', 'Specimen', 'Prototyp', 'Trialby', 'Mockingham', 'Samplesby',
	'Templeton-Test', 'Draftwood', 'Pilotson', 'Sandboxer', 'Staging', 'Fauxmont', 'Loremby', 'Ipsumson',
];

/** US cities with made-up street addresses; phone numbers use the reserved 555-01xx range. */
const PLACES = [
	{ city: 'Portland', province: 'Oregon', provinceCode: 'OR', zip: '97205', area: '503' },
	{ city: 'Austin', province: 'Texas', provinceCode: 'TX', zip: '78701', area: '512' },
	{ city: 'Denver', province: 'Colorado', provinceCode: 'CO', zip: '80202', area: '303' },
	{ city: 'Burlington', province: 'Vermont', provinceCode: 'VT', zip: '05401', area: '802' },
	{ city: 'Santa Fe', province: 'New Mexico', provinceCode: 'NM', zip: '87501', area: '505' },
	{ city: 'Asheville', province: 'North Carolina', provinceCode: 'NC', zip: '28801', area: '828' },
	{ city: 'Madison', province: 'Wisconsin', provinceCode: 'WI', zip: '53703', area: '608' },
	{ city: 'Savannah', province: 'Georgia', provinceCode: 'GA', zip: '31401', area: '912' },
	{ city: 'Boise', province: 'Idaho', provinceCode: 'ID', zip: '83702', area: '208' },
	{ city: 'Providence', province: 'Rhode Island', provinceCode: 'RI', zip: '02903', area: '401' },
];

const STREETS = ['Sample Street', 'Example Avenue', 'Fixture Lane', 'Placeholder Road', 'Demo Court', 'Test Way'];

const CARRIERS = ['UPS', 'USPS', 'FedEx'];

const CUSTOMER_NOTES = [
	'Prefers framed prints; gift wrapping requested before.',
	'Asked about commissioning a custom piece.',
	'Collector of the limited editions.',
	'Buys for a small cafe; wants invoices by email.',
];

module.exports = { PRODUCTS, PRODUCT_WEIGHTS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS, CARRIERS, CUSTOMER_NOTES };
