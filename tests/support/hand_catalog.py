"""The products-feed hand catalog: every case of the products-feed contract, each on its own product.

The ``hand_catalog`` fixture (tests/exporters/conftest.py) builds it once per module and database
kind; tests name their expectations with ``HandBuilt.options`` and the constants below.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.catalog import Catalog

LONG_DESCRIPTION = '<div class="long">' + ("Ünïcødé & <b>bold</b> — " * 2500)[: 60_000 - 24] + "</div>"
QUOTED_SKU = 'He said "hi" \\o/ it\'s'


@dataclass
class HandBuilt:
    """The catalog and the ids a test needs to name its expectations."""

    catalog: Catalog
    options: dict[str, int]

    @property
    def url(self) -> str:
        return self.catalog.url


def build_hand_catalog(catalog: Catalog) -> HandBuilt:
    """Every case of the products-feed contract, each on its own product."""
    catalog.add_store_view("fr", "base")
    _, (red, blue) = catalog.add_attribute("shade", options=[{"admin": "Red", "fr": "Rouge"}, {"admin": "Blue"}])
    _, (cotton, silk) = catalog.add_attribute(
        "fabric",
        backend_type="text",
        frontend_input="multiselect",
        options=[{"admin": "Cotton", "fr": "Coton"}, {"admin": "Silk"}],
    )
    catalog.add_category(10, "1/2", {"admin": "gear", "fr": "equipement"})
    catalog.add_category(11, "1/2/10", {"admin": "gear/bags"})
    image = "/m/b/mb01.jpg"
    simple = catalog.add_product(
        "P-SIMPLE",
        entity_id=10,
        values={
            "name": {"admin": "Joust Duffle Bag", "fr": "Sac Joust"},
            "description": {"admin": "<p>Bag</p>"},
            "url_key": {"admin": "joust-duffle-bag"},
            "weight": {"admin": 2.5, "default": 9.9},  # global: the stray store row is ignored
            "tax_class_id": {"admin": 2},
            "shade": {"admin": red},
            "fabric": {"admin": f"{cotton},{silk}"},
            "image": {"admin": image},
            "small_image": {"admin": image},
            "thumbnail": {"admin": image},
        },
        categories={10: 1, 11: 3},
    )
    catalog.add_image(simple, image, {"admin": "Front", "fr": "Devant"}, position=1)
    catalog.add_product(
        "P-NULL",
        entity_id=20,
        values={
            "name": {"admin": "Null Override"},
            "description": {"admin": "Default text", "default": None},
        },
    )
    catalog.add_product("P-W2", entity_id=30, websites=("website_2",), values={"name": {"admin": "Second"}})
    catalog.add_product("P-NOWEB", entity_id=40, websites=(), values={"name": {"admin": "Nowhere"}})
    catalog.add_product(
        "P-STATUS",
        entity_id=50,
        values={"name": {"admin": "Per view"}, "status": {"admin": 1, "default": 1, "fr": 2}},
    )
    catalog.add_product(
        "P-UNI",
        entity_id=60,
        values={"name": {"admin": "Zoë’s Café ☕ 東京"}, "description": {"admin": LONG_DESCRIPTION}},
    )
    catalog.add_product(QUOTED_SKU, entity_id=70, values={"name": {"admin": "Quoted"}})
    catalog.add_product("CFG", entity_id=80, type_id="configurable", values={"name": {"admin": "Hoodie"}})
    for entity_id, sku, option in ((81, "CFG-RED", red), (82, "CFG-BLUE", blue)):
        catalog.add_product(
            sku,
            entity_id=entity_id,
            values={"name": {"admin": sku}, "visibility": {"admin": 1}, "shade": {"admin": option}},
        )
    catalog.link_configurable(80, [81, 82], ["shade"])
    return HandBuilt(catalog, {"red": red, "blue": blue, "cotton": cotton, "silk": silk})
