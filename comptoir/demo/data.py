"""The demo hub, as plain data: what `load_demo` writes, exactly."""

from decimal import Decimal as D

PASSWORD = "demo"

USERS = [
    # e-mail, first name, last name, super admin, managed enterprise
    ("admin@comptoir.test", "Alice", "Admin", True, None),
    ("manager@panier-local.test", "Claire", "Morel", False, "Le Panier Local"),
    ("manager@epicerie.test", "Hugo", "Petit", False, "Épicerie du Marché"),
    ("producteur@tilleuls.test", "Louis", "Garnier", False, "Ferme des Tilleuls"),
]

ENTERPRISES = [
    # name, slug, kind, e-mail, phone, address, postcode
    (
        "Le Panier Local",
        "le-panier-local",
        "hub",
        "contact@panier-local.test",
        "04 72 00 11 22",
        "14 rue de la République",
        "69001",
    ),
    (
        "Épicerie du Marché",
        "epicerie-du-marche",
        "hub",
        "bonjour@epicerie.test",
        "04 78 00 33 44",
        "2 place des Terreaux",
        "69001",
    ),
    (
        "Ferme des Tilleuls",
        "ferme-des-tilleuls",
        "producer",
        "ferme@tilleuls.test",
        "",
        "",
        "",
    ),
    ("Fromagerie Bel Air", "fromagerie-bel-air", "producer", "", "", "", ""),
    ("Boulangerie du Moulin", "boulangerie-du-moulin", "producer", "", "", "", ""),
]

TAX_CATEGORIES = [("TVA 5,5 %", D("0.055")), ("TVA 20 %", D("0.20"))]

# producer, SKU, product, unit kind, unit value, display, price, stock
# (None = on demand), weight in kg
VARIANTS = [
    (
        "Ferme des Tilleuls",
        "CAR-1KG",
        "Carottes",
        "weight",
        D(1000),
        "1 kg",
        D("2.50"),
        100,
        D("1"),
    ),
    (
        "Ferme des Tilleuls",
        "PDT-2K5",
        "Pommes de terre",
        "weight",
        D(2500),
        "2,5 kg",
        D("4.00"),
        50,
        D("2.5"),
    ),
    (
        "Ferme des Tilleuls",
        "POI-BOT",
        "Poireaux",
        "items",
        D(1),
        "1 botte",
        D("2.20"),
        0,
        D("0.5"),
    ),
    (
        "Ferme des Tilleuls",
        "TOM-1KG",
        "Tomates anciennes",
        "weight",
        D(1000),
        "1 kg",
        D("5.90"),
        None,
        D("1"),
    ),
    (
        "Fromagerie Bel Air",
        "COM-250",
        "Comté 18 mois",
        "weight",
        D(250),
        "250 g",
        D("6.80"),
        40,
        D("0.25"),
    ),
    (
        "Fromagerie Bel Air",
        "TOM-500",
        "Tomme de Savoie",
        "weight",
        D(500),
        "500 g",
        D("9.50"),
        20,
        D("0.5"),
    ),
    (
        "Fromagerie Bel Air",
        "YAO-X4",
        "Yaourt nature",
        "items",
        D(4),
        "4 × 125 g",
        D("3.20"),
        30,
        D("0.5"),
    ),
    (
        "Boulangerie du Moulin",
        "PAI-800",
        "Pain de campagne",
        "weight",
        D(800),
        "800 g",
        D("4.60"),
        25,
        D("0.8"),
    ),
    (
        "Boulangerie du Moulin",
        "BAG-TRA",
        "Baguette tradition",
        "weight",
        D(250),
        "250 g",
        D("1.30"),
        60,
        D("0.25"),
    ),
    (
        "Boulangerie du Moulin",
        "BRI-400",
        "Brioche",
        "weight",
        D(400),
        "400 g",
        D("6.00"),
        10,
        D("0.4"),
    ),
]

# hub, SKU, price, stock
OVERRIDES = [("Épicerie du Marché", "BAG-TRA", D("1.40"), 15)]

# enterprise, name, type, calculator, preferences, tax category ("inherit")
FEES = [
    (
        "Le Panier Local",
        "Frais de gestion",
        "admin",
        "flat_percent_per_item",
        {"percent": "10"},
        "inherit",
    ),
    (
        "Ferme des Tilleuls",
        "Emballage",
        "packing",
        "flat_rate_per_item",
        {"amount": "0.10"},
        None,
    ),
    (
        "Le Panier Local",
        "Logistique",
        "transport",
        "flat_rate",
        {"amount": "2.00"},
        "TVA 20 %",
    ),
    (
        "Épicerie du Marché",
        "Commission épicerie",
        "sales",
        "flat_percent_per_item",
        {"percent": "5"},
        None,
    ),
]

# name, days from today it opens, days from today it closes
CYCLES = [
    ("Semaine dernière", -10, -3),
    ("Semaine en cours", -2, 5),
    ("Semaine prochaine", 5, 12),
]
COORDINATOR = "Le Panier Local"
COORDINATOR_FEES = ["Frais de gestion"]
INCOMING = [
    ("Ferme des Tilleuls", ["Emballage"]),
    ("Fromagerie Bel Air", []),
    ("Boulangerie du Moulin", []),
]
ALL_SKUS = [variant[1] for variant in VARIANTS]
OUTGOING = [
    # hub, SKUs, fees, pickup time, pickup instructions
    (
        "Le Panier Local",
        ALL_SKUS,
        ["Logistique"],
        "Vendredi 17 h – 19 h",
        "",
    ),
    (
        "Épicerie du Marché",
        ["COM-250", "TOM-500", "PAI-800", "BAG-TRA"],
        ["Commission épicerie"],
        "",
        "",
    ),
]

# hub, name, kind, back office only, calculator, preferences, tax category
SHIPPING_METHODS = [
    ("Le Panier Local", "Retrait au Panier", "pickup", False, "none", {}, None),
    (
        "Le Panier Local",
        "Livraison à domicile",
        "delivery",
        False,
        "flat_rate",
        {"amount": "5.00"},
        "TVA 20 %",
    ),
    (
        "Le Panier Local",
        "Livraison groupée",
        "delivery",
        True,
        "price_sack",
        {"minimal_amount": "40.00", "normal_amount": "6.00", "discount_amount": "0.00"},
        "TVA 20 %",
    ),
    ("Épicerie du Marché", "Retrait à l'épicerie", "pickup", False, "none", {}, None),
]

# hub, name, kind, calculator, preferences
PAYMENT_METHODS = [
    ("Le Panier Local", "Espèces", "cash", "none", {}),
    ("Le Panier Local", "Chèque", "check", "none", {}),
    ("Le Panier Local", "Virement", "transfer", "none", {}),
    (
        "Le Panier Local",
        "Carte bancaire (TPE)",
        "card",
        "flat_percent_item_total",
        {"percent": "1.5"},
    ),
    ("Épicerie du Marché", "Espèces", "cash", "none", {}),
]

# hub, first name, last name, e-mail, code, address, postcode, city, phone, tags
CUSTOMERS = [
    (
        "Le Panier Local",
        "Marie",
        "Dupont",
        "marie.dupont@example.fr",
        "C001",
        "12 rue des Lilas",
        "69003",
        "Lyon",
        "06 12 34 56 78",
        ["adhérent"],
    ),
    (
        "Le Panier Local",
        "Jean",
        "Martin",
        "jean.martin@example.fr",
        "C002",
        "5 place Bellecour",
        "69002",
        "Lyon",
        "06 98 76 54 32",
        [],
    ),
    (
        "Le Panier Local",
        "Amandine",
        "Leroy",
        "amandine.leroy@example.fr",
        "C003",
        "8 quai Saint-Vincent",
        "69001",
        "Lyon",
        "07 11 22 33 44",
        [],
    ),
    (
        "Épicerie du Marché",
        "Paul",
        "Bernard",
        "paul.bernard@example.fr",
        "E001",
        "3 rue Mercière",
        "69002",
        "Lyon",
        "",
        [],
    ),
]
