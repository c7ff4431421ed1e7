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

/**
 * What the store sells beyond a line item's own text (shopify-returns.js builds Product and ProductVariant records
 * from it): each product's type, tags and variants with their stock. The first variant of each product is the one the
 * sample orders bought (its sku and title are PRODUCTS'); the others are what an exchange can offer. `inventory` is
 * the stock on hand today; inventoryPolicy CONTINUE sells on without stock (made to order). Tags final-sale and
 * made-to-order are the ones return policies read (RETURN_POLICY in nodes/shared/policy.ts).
 */
const PRODUCT_LINES = {
	printA4: {
		id: 8001, productType: 'Art Print', tags: ['art-print'], options: ['Artwork'],
		variants: [['Harbour at Dawn', 'PRT-A4-HARBOUR', 40], ['Midnight Forest', 'PRT-A4-FOREST', 12], ['Desert Bloom', 'PRT-A4-BLOOM', 0]],
	},
	printA3: {
		id: 8002, productType: 'Art Print', tags: ['art-print'], options: ['Artwork'],
		variants: [['Midnight Forest', 'PRT-A3-FOREST', 30], ['Harbour at Dawn', 'PRT-A3-HARBOUR', 8], ['Desert Bloom', 'PRT-A3-BLOOM', 2]],
	},
	framed: {
		id: 8003, productType: 'Framed Print', tags: ['framed', 'ready-to-hang'], options: ['Artwork', 'Frame'],
		variants: [['Coastal Lines / Oak frame', 'FRM-5070-COAST', 6], ['Coastal Lines / Black frame', 'FRM-5070-COAST-BLK', 4], ['Coastal Lines / White frame', 'FRM-5070-COAST-WHT', 0]],
	},
	canvas: {
		id: 8004, productType: 'Canvas', tags: ['canvas', 'made-to-order'], options: ['Artwork'], inventoryPolicy: 'CONTINUE',
		variants: [['Desert Bloom', 'CNV-6090-BLOOM', 0], ['Quiet Lake', 'CNV-6090-LAKE', 0]],
	},
	giclee: {
		id: 8005, productType: 'Limited Edition Print', tags: ['final-sale', 'limited-edition'], options: ['Edition'],
		variants: [['Quiet Lake (1/50)', 'LTD-GCL-LAKE', 3]],
	},
	original: {
		id: 8006, productType: 'Original Artwork', tags: ['final-sale', 'one-of-a-kind', 'original'], options: ['Artwork'],
		variants: [['Morning Market', 'ORG-WTC-MARKET', 0]],
	},
	cards: {
		id: 8007, productType: 'Stationery', tags: ['stationery'], options: ['Set'],
		variants: [['Botanicals (8 cards)', 'CRD-SET-BOTAN', 50], ['Coastal (8 cards)', 'CRD-SET-COAST', 25], ['Winter (8 cards)', 'CRD-SET-WINTER', 0]],
	},
	bundle: {
		id: 8008, productType: 'Print Bundle', tags: ['bundle'], options: ['Set'],
		variants: [['Studio Studies', 'BND-SKT-STUDIO', 15]],
	},
};

/** Addresses in the EU for orders shipped there (return requests under the EU right of withdrawal); placeholder streets. */
const EU_PLACES = [
	{ city: 'Berlin', zip: '10115', country: 'Germany', countryCode: 'DE', street: 'Beispielstrasse 12' },
	{ city: 'Lyon', zip: '69002', country: 'France', countryCode: 'FR', street: "4 Rue de l'Exemple" },
	{ city: 'Utrecht', zip: '3511 AB', country: 'Netherlands', countryCode: 'NL', street: 'Voorbeeldstraat 7' },
	{ city: 'Cork', zip: 'T12 X2Y3', country: 'Ireland', countryCode: 'IE', street: '9 Sample Quay' },
	{ city: 'Bologna', zip: '40121', country: 'Italy', countryCode: 'IT', street: 'Via Esempio 3' },
	{ city: 'Valencia', zip: '46001', country: 'Spain', countryCode: 'ES', street: 'Calle Ejemplo 5' },
];

module.exports = { PRODUCTS, PRODUCT_WEIGHTS, PRODUCT_LINES, EU_PLACES, FIRST_NAMES, LAST_NAMES, PLACES, STREETS, CARRIERS, CUSTOMER_NOTES };
