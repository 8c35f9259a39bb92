"""The products feed: one item per product × store view of each website it is assigned to.

A range of entity ids is read with a fixed number of bulk queries (entities, websites, one per
EAV value table, categories and their url paths, gallery, stock, variants, parents), whatever
the range's size; the items are then assembled in Python.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, and_, select

from exporters.clock import format_datetime, now_text
from exporters.feeds.base import EAV_TABLES, PRODUCT_VALUE_TABLES, SCOPE_TABLES, FeedSpec, read_product_websites
from exporters.feeds.product_parts import PARTS, PartRows, ProductView
from exporters.model import BuildResult, Item, ItemFailure
from exporters.source import MagentoSource, StoreView
from exporters.source.eav import Attribute, AttributeSet, EntityValues, OptionLabels, load_values, resolve
from exporters.source.edition import Edition
from exporters.source.relations import read_parents
from exporters.source.schema import (
    catalog_category_product,
    catalog_product_entity,
    catalog_product_entity_media_gallery,
    catalog_product_entity_media_gallery_value_video,
    catalog_product_super_link,
    cataloginventory_stock_status,
    id_between,
)
from exporters.source.tax import tax_class_name, tax_class_names

log = logging.getLogger(__name__)

#: Bump when the way items are built changes, so that every product is assembled again.
FEED_VERSION = 2  # 2: issue 11 payload parity (new fields, images[].sortOrder a string)
STATUS = {1: "Enabled", 2: "Disabled"}
VISIBILITY = {1: "Not Visible Individually", 2: "Catalog", 3: "Search", 4: "Catalog, Search"}
DEFAULT_VISIBILITY = 4
IMAGE_ROLES = ("image", "small_image", "thumbnail", "swatch_image")
#: The deprecated ``ImageDeprecated`` fields: role attribute -> (field, label attribute). Adobe reads
#: no ``swatch_image_label``, so ``swatchImage`` never has a label.
DEPRECATED_IMAGES = {
    "image": ("image", "image_label"),
    "small_image": ("smallImage", "small_image_label"),
    "thumbnail": ("thumbnail", "thumbnail_label"),
    "swatch_image": ("swatchImage", None),
}
IMAGE_LABELS = ("image_label", "small_image_label", "thumbnail_label")
#: The role Adobe gives a disabled gallery entry (MediaGalleryFormatterInterface::ROLE_DISABLED).
ROLE_DISABLED = "hide_from_pdp"
VIDEO_TYPE = "external-video"
#: ``catalog_product_entity_media_gallery_value_video`` columns -> VideoItem fields.
VIDEO_FIELDS = (
    ("provider", "videoProvider"),
    ("url", "videoUrl"),
    ("title", "videoTitle"),
    ("description", "videoDescription"),
    ("metadata", "videoMetadata"),
)
#: System attributes that become top-level item fields (by attribute code).
SCALARS = {
    "name": "name",
    "url_key": "urlKey",
    "description": "description",
    "short_description": "shortDescription",
    "meta_title": "metaTitle",
    "meta_description": "metaDescription",
    "meta_keyword": "metaKeyword",
}
_SYSTEM_CODES = (*SCALARS, "status", "visibility", "weight", "tax_class_id", "price_type", *IMAGE_ROLES, *IMAGE_LABELS)
#: ``price_type`` 1 (fixed price) makes a bundle ``bundle_fixed``, as Adobe's bundle exporter names it.
_BUNDLE_FIXED_PRICE = "1"
_BOOLEAN = {"1": "Yes", "0": "No"}


def attribute_text(attribute: Attribute, value: Any) -> str:
    """A raw EAV value as the text the feeds carry, identical whatever the database."""
    if attribute.backend_type == "decimal":
        return f"{Decimal(str(value)):.4f}"
    if attribute.backend_type == "datetime":
        return format_datetime(value) or ""
    return str(value)


def attribute_entry(attribute: Attribute, value: Any, store_id: int, labels: OptionLabels) -> dict[str, Any] | None:
    """``{attributeCode, value[], valueId[]}`` with option labels at the store view."""
    if value is None or value == "":
        return None
    if attribute.has_options:
        at_store = labels.for_store(store_id)
        stored = str(value).split(",")
        known = [i for i in stored if i in at_store]
        if len(known) != len(stored):
            # Magento's storefront shows nothing for an option that is gone; the item still goes.
            unknown = ", ".join(i for i in stored if i not in at_store)
            log.warning(
                "attribute %s: option id(s) %s have no option row; left out of the items", attribute.code, unknown
            )
        if not known:
            return None
        return {"attributeCode": attribute.code, "value": [at_store[i] for i in known], "valueId": known}
    text = attribute_text(attribute, value)
    if attribute.frontend_input == "boolean" and text in _BOOLEAN:
        return {"attributeCode": attribute.code, "value": [_BOOLEAN[text]], "valueId": [text]}
    return {"attributeCode": attribute.code, "value": [text], "valueId": []}


@dataclass(slots=True)
class _Image:
    """One gallery entry of a product (an image or an external video)."""

    value_id: int
    file: str
    media_type: str
    by_store: dict[int, tuple[str | None, int | None, int]]  # store -> (label, position, disabled)
    #: Video rows by store: the ``VIDEO_FIELDS`` columns in order.
    video: dict[int, tuple[Any, ...]]

    def fingerprint(self) -> tuple[Any, ...]:
        return (self.value_id, self.file, self.media_type, sorted(self.by_store.items()), sorted(self.video.items()))


@dataclass
class _Chunk:
    """Everything the bulk queries returned for one range of ids."""

    entities: list[Any]
    websites: dict[int, list[int]]
    values: dict[int, EntityValues]
    categories: dict[int, list[tuple[int, int, str]]]  # product -> (category id, position, path)
    category_url_paths: dict[int, EntityValues]
    images: dict[int, list[_Image]]
    in_stock: dict[int, bool]
    variants: dict[int, list[str]]
    parents: dict[int, dict[str, str]]
    #: What each of ``PARTS`` read, in the same order.
    parts: list[PartRows]


def _read_chunk(conn: Connection, source: MagentoSource, lo: int, hi: int) -> _Chunk:
    attrs = source.product_attributes
    store_ids = source.scopes.store_ids
    edition = source.edition
    e = edition.products
    entities = list(
        conn.execute(
            select(e.c.entity_id, e.c.sku, e.c.type_id, e.c.created_at, e.c.updated_at)
            .where(id_between(e.c.entity_id, lo, hi), edition.live(e))
            .order_by(e.c.entity_id)
        )
    )
    websites = read_product_websites(conn, lo, hi)

    wanted = [*_SYSTEM_CODES, *(a.code for a in attrs.by_id.values() if a.is_user_defined)]
    values = load_values(conn, edition, "product", attrs.ids_by_backend(wanted), store_ids, lo, hi)

    categories: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    ccp, cce = catalog_category_product, edition.categories
    for product_id, category_id, position, path in conn.execute(
        select(ccp.c.product_id, ccp.c.category_id, ccp.c.position, cce.c.path)
        .join(cce, and_(cce.c.entity_id == ccp.c.category_id, edition.live(cce), cce.c.level > 1))
        .where(id_between(ccp.c.product_id, lo, hi))
    ):
        categories[product_id].append((int(category_id), int(position or 0), path))
    category_url_paths = _category_url_paths(conn, source, categories.values(), store_ids)

    return _Chunk(
        entities=entities,
        websites=websites,
        values=values,
        categories=categories,
        category_url_paths=category_url_paths,
        images=_read_images(conn, edition, store_ids, lo, hi),
        in_stock=_read_stock(conn, lo, hi),
        variants=_read_variants(conn, edition, lo, hi),
        parents=read_parents(conn, edition, lo, hi),
        parts=[part.read(conn, source, lo, hi) for part in PARTS],
    )


def _category_url_paths(
    conn: Connection,
    source: MagentoSource,
    links: Iterable[list[tuple[int, int, str]]],
    store_ids: list[int],
) -> dict[int, EntityValues]:
    url_path = source.category_attributes.get("url_path")
    ids = sorted({category_id for per_product in links for category_id, _, _ in per_product})
    if url_path is None or not ids:
        return {}
    edition = source.edition
    table = edition.category_values[url_path.backend_type]
    category_id, values_from, live = edition.keyed(table, edition.categories)
    query = (
        select(category_id, table.c.store_id, table.c.value)
        .select_from(values_from)
        .where(
            table.c.attribute_id == url_path.attribute_id,
            category_id.in_(ids),
            table.c.store_id.in_([0, *store_ids]),
            live,
        )
    )
    paths: dict[int, EntityValues] = defaultdict(dict)
    for category_id, store_id, value in conn.execute(query):
        paths[category_id].setdefault(url_path.attribute_id, {})[store_id] = value
    return paths


def _read_images(conn: Connection, edition: Edition, store_ids: list[int], lo: int, hi: int) -> dict[int, list[_Image]]:
    """Every gallery entry, disabled ones and videos included, as Adobe's MediaGalleryQueryBuilder reads them.

    The gallery row's own ``disabled`` column is not looked at (Adobe does not either); the
    per-store ``disabled`` of ``…_media_gallery_value`` marks an entry ``hide_from_pdp``.
    """
    g, gv, ge = catalog_product_entity_media_gallery, edition.media_value, edition.media_to_entity
    gvv = catalog_product_entity_media_gallery_value_video
    stores = [0, *store_ids]
    images: dict[tuple[int, int], _Image] = {}
    videos: dict[int, list[_Image]] = defaultdict(list)
    linked_id, linked_from, linked_live = edition.keyed(ge, edition.products)
    for entity_id, value_id, file, media_type in conn.execute(
        select(linked_id, g.c.value_id, g.c.value, g.c.media_type)
        .select_from(linked_from.join(g, g.c.value_id == ge.c.value_id))
        .where(id_between(linked_id, lo, hi), linked_live)
    ):
        if file:
            entry = images[(entity_id, value_id)] = _Image(value_id, file, str(media_type), {}, {})
            if entry.media_type == VIDEO_TYPE:
                videos[value_id].append(entry)
    value_of, values_from, values_live = edition.keyed(gv, edition.products)
    for value_id, entity_id, store_id, label, position, disabled in conn.execute(
        select(gv.c.value_id, value_of, gv.c.store_id, gv.c.label, gv.c.position, gv.c.disabled)
        .select_from(values_from)
        .where(id_between(value_of, lo, hi), gv.c.store_id.in_(stores), values_live)
    ):
        image = images.get((entity_id, value_id))
        if image is not None:
            image.by_store[store_id] = (label, position, int(disabled or 0))
    for value_id, store_id, *columns in conn.execute(
        select(gvv.c.value_id, gvv.c.store_id, *(gvv.c[column] for column, _ in VIDEO_FIELDS))
        .select_from(linked_from.join(gvv, gvv.c.value_id == ge.c.value_id))
        .where(id_between(linked_id, lo, hi), gvv.c.store_id.in_(stores), linked_live)
    ):  # always run, even for a range without videos: a chunk costs a fixed number of queries
        for video in videos.get(value_id, ()):
            video.video[store_id] = tuple(columns)
    by_product: dict[int, list[_Image]] = defaultdict(list)
    for (entity_id, _), image in images.items():
        by_product[entity_id].append(image)
    return by_product


def _read_stock(conn: Connection, lo: int, hi: int) -> dict[int, bool]:
    s = cataloginventory_stock_status
    in_stock: dict[int, bool] = {}
    for product_id, status in conn.execute(
        select(s.c.product_id, s.c.stock_status)
        .where(id_between(s.c.product_id, lo, hi), s.c.stock_id == 1)
        .order_by(s.c.website_id.desc())
    ):
        in_stock[product_id] = status == 1  # website 0 (the Open Source stock) is read last and wins
    return in_stock


def _read_variants(conn: Connection, edition: Edition, lo: int, hi: int) -> dict[int, list[str]]:
    """parent id -> child skus; the link's parent side is the parent's live link id."""
    link = catalog_product_super_link
    parent, child = edition.products.alias("parent"), edition.products.alias("child")
    variants: dict[int, list[str]] = defaultdict(list)
    for parent_id, sku in conn.execute(
        select(parent.c.entity_id, child.c.sku)
        .join_from(link, parent, edition.live_link(parent, link.c.parent_id))
        .join(child, and_(child.c.entity_id == link.c.product_id, edition.live(child)))
        .where(id_between(parent.c.entity_id, lo, hi))
    ):
        if sku is not None:
            variants[parent_id].append(sku)
    return variants


class _ProductAssembler:
    """Turns one chunk's rows into items.

    What does not depend on the store view (ids, dates, stock, variants, parents, which user
    attributes a product has) is computed once per product; option labels and category paths
    are memoized per chunk, since many products share them.
    """

    def __init__(self, source: MagentoSource, chunk: _Chunk) -> None:
        self.source = source
        self.chunk = chunk
        attrs: AttributeSet = source.product_attributes
        self.labels = source.product_option_labels
        self.user_attributes = {a.attribute_id: a for a in attrs.by_id.values() if a.is_user_defined}
        self.scalars = [(field, attrs.by_code[code]) for code, field in SCALARS.items() if code in attrs.by_code]
        self.roles = [(code, attrs.by_code[code]) for code in IMAGE_ROLES if code in attrs.by_code]
        self.image_labels = {code: attrs.by_code[code] for code in IMAGE_LABELS if code in attrs.by_code}
        self.status = attrs.get("status")
        self.visibility = attrs.get("visibility")
        self.weight = attrs.get("weight")
        self.tax_class = attrs.get("tax_class_id")
        self.tax_classes = tax_class_names(source)
        self.price_type = attrs.get("price_type")
        self.url_path = source.category_attributes.get("url_path")
        self.media_urls = {sid: f"{source.media_base_url(sid)}catalog/product" for sid in source.scopes.store_ids}
        self.modified_at = now_text()
        self.views_by_website: dict[int, list[StoreView]] = defaultdict(list)
        for view in source.scopes.store_views.values():
            self.views_by_website[view.website_id].append(view)
        self._entries: dict[tuple[int, Any, int], dict[str, Any] | None] = {}
        self._category_data: dict[tuple[int, int, int], dict[str, Any]] = {}
        self._category_roots: dict[int, frozenset[str]] = {}

    def build(self, result: BuildResult, known: Mapping[int, str]) -> None:
        chunk = self.chunk
        context = _context_digest(self.source)
        for row in chunk.entities:
            websites = chunk.websites.get(row.entity_id)
            if not websites:
                continue
            views = [view for website_id in sorted(websites) for view in self.views_by_website.get(website_id, ())]
            if not views:
                continue
            if row.sku is None or row.sku == "":
                result.failures.extend(
                    ItemFailure(
                        source_id=int(row.entity_id),
                        error=f"product {row.entity_id} has no sku; it cannot be identified in the feed",
                        identity={"sku": row.sku, "storeViewCode": view.code},
                    )
                    for view in views
                )
                continue
            fingerprint = self._fingerprint(context, row)
            result.source_hashes[int(row.entity_id)] = fingerprint
            if known.get(int(row.entity_id)) == fingerprint:
                result.skipped.add(int(row.entity_id))
                continue
            base, own, categories = self._product(row)
            values = chunk.values.get(row.entity_id, {})
            result.items.extend(self._item(row, base, values, own, categories, view) for view in views)

    def _fingerprint(self, context: bytes, row: Any) -> str:
        """A digest of every source row this product's items are built from.

        Together with the run's context digest (scopes, attribute metadata, option labels,
        media URLs) it changes whenever any input of the product's items changes, so a product
        whose fingerprint matches its settled feed rows need not be assembled again.
        """
        chunk, entity_id = self.chunk, row.entity_id
        categories = sorted(chunk.categories.get(entity_id, ()))
        payload = (
            tuple(row),
            sorted(chunk.websites.get(entity_id, ())),
            chunk.values.get(entity_id, {}),
            categories,
            [chunk.category_url_paths.get(category_id) for category_id, _, _ in categories],
            sorted(i.fingerprint() for i in chunk.images.get(entity_id, ())),
            chunk.in_stock.get(entity_id),
            sorted(chunk.variants.get(entity_id, ())),
            sorted(chunk.parents.get(entity_id, {}).items()),
            [part.fingerprint(int(entity_id)) for part in chunk.parts],
        )
        return hashlib.sha1(context + orjson.dumps(payload, default=str, option=_FINGERPRINT_OPTIONS)).hexdigest()

    def _product(self, row: Any) -> tuple[Item, list[Attribute], list[tuple[int, int, str]]]:
        """The store-view independent part of a product's items."""
        chunk, entity_id = self.chunk, row.entity_id
        base: Item = {
            "productId": int(entity_id),
            "sku": row.sku,
            "type": self._type(row),
            "createdAt": format_datetime(row.created_at),
            "updatedAt": format_datetime(row.updated_at),
            "modifiedAt": self.modified_at,
            "deleted": False,
            "inStock": chunk.in_stock.get(entity_id, False),
            "variants": [{"sku": sku} for sku in sorted(chunk.variants.get(entity_id, ()))],
            "parents": [
                {"sku": sku, "productType": type_id}
                for sku, type_id in sorted(chunk.parents.get(entity_id, {}).items())
            ],
        }
        values = chunk.values.get(entity_id, {})
        # Only the attributes this product has rows for: a catalog has hundreds of user attributes.
        own = sorted((a for aid in values if (a := self.user_attributes.get(aid))), key=lambda a: a.code)
        categories = sorted(chunk.categories.get(entity_id, ()), key=lambda c: c[0])
        return base, own, categories

    def _item(
        self,
        row: Any,
        base: Item,
        values: EntityValues,
        own: list[Attribute],
        categories: list[tuple[int, int, str]],
        view: StoreView,
    ) -> Item:
        sid = view.store_id
        item = dict(base)
        item["storeViewCode"] = view.code
        item["storeCode"] = view.group_code
        item["websiteCode"] = view.website_code
        for field, attribute in self.scalars:
            value = resolve(values, attribute, sid)
            item[field] = None if value is None else str(value)
        status = None if self.status is None else resolve(values, self.status, sid)
        item["status"] = None if status is None else STATUS.get(int(status), str(status))
        visibility = None if self.visibility is None else resolve(values, self.visibility, sid)
        visibility = DEFAULT_VISIBILITY if visibility is None else int(visibility)
        item["visibility"] = VISIBILITY.get(visibility, str(visibility))
        weight = None if self.weight is None else resolve(values, self.weight, sid)
        item["weight"] = None if weight is None else float(weight)
        tax_class = None if self.tax_class is None else resolve(values, self.tax_class, sid)
        item["taxClassId"] = tax_class_name(self.tax_classes, tax_class)
        item["attributes"] = [entry for attribute in own if (entry := self._entry(attribute, values, sid))]
        root = str(view.root_category_id)
        in_tree = [c for c in categories if root in self._roots(c[0], c[2])]
        item["categoryIds"] = [str(category_id) for category_id, _, _ in in_tree]
        item["categoryData"] = [self._category(category_id, position, sid) for category_id, position, _ in in_tree]
        item.update(self._media(base["productId"], values, sid))
        if self.chunk.parts:
            product = ProductView(row, values, view, item)
            for part in self.chunk.parts:
                item.update(part.fields(product))
        return item

    def _type(self, row: Any) -> str:
        """``type_id``, but ``bundle_fixed`` for a fixed-price bundle: Adobe's bundle exporter
        calls a bundle fixed when any of its ``price_type`` rows, whatever the store, is 1."""
        if row.type_id != "bundle" or self.price_type is None:
            return str(row.type_id)
        by_store = self.chunk.values.get(row.entity_id, {}).get(self.price_type.attribute_id, {})
        fixed = any(str(value) == _BUNDLE_FIXED_PRICE for value in by_store.values())
        return "bundle_fixed" if fixed else "bundle"

    def _entry(self, attribute: Attribute, values: EntityValues, store_id: int) -> dict[str, Any] | None:
        value = resolve(values, attribute, store_id)
        if not (attribute.has_options or attribute.frontend_input == "boolean"):
            return attribute_entry(attribute, value, store_id, self.labels)
        key = (attribute.attribute_id, value, store_id)
        if key not in self._entries:  # option labels repeat across products: build each entry once
            self._entries[key] = attribute_entry(attribute, value, store_id, self.labels)
        return self._entries[key]

    def _roots(self, category_id: int, path: str) -> frozenset[str]:
        roots = self._category_roots.get(category_id)
        if roots is None:
            roots = self._category_roots[category_id] = frozenset(path.split("/"))
        return roots

    def _category(self, category_id: int, position: int, store_id: int) -> dict[str, Any]:
        key = (category_id, position, store_id)
        data = self._category_data.get(key)
        if data is None:
            path = None
            if self.url_path is not None:
                path = resolve(self.chunk.category_url_paths.get(category_id, {}), self.url_path, store_id)
            data = self._category_data[key] = {
                "categoryId": str(category_id),
                "categoryPath": None if path is None else str(path),
                "productPosition": position,
            }
        return data

    def _media(self, entity_id: int, values: EntityValues, store_id: int) -> Item:
        """``images``, ``videos``, the deprecated ``media_gallery`` and ``image``/``smallImage``/
        ``thumbnail``/``swatchImage`` of the product at the store view.

        Entries are ordered by position, then URL (Adobe's order is its keys' sha1, i.e. none).
        """
        media_url = self.media_urls[store_id]
        files_by_role = {code: resolve(values, attribute, store_id) for code, attribute in self.roles}
        images: list[dict[str, Any]] = []
        videos: list[dict[str, Any]] = []
        gallery: list[dict[str, Any]] = []
        for image in self.chunk.images.get(entity_id, ()):
            label, position, disabled = image.by_store.get(store_id) or image.by_store.get(0) or (None, None, 0)
            default = image.by_store.get(0)
            if default is not None:
                label = label if label is not None else default[0]
                position = position if position is not None else default[1]
            url = f"{media_url}{image.file}"
            types = [code for code, file in files_by_role.items() if file == image.file]
            roles = [*types, ROLE_DISABLED] if disabled else types
            order = int(position or 0)
            video = self._video(image, store_id) if image.media_type == VIDEO_TYPE else None
            gallery.append(
                {"url": url, "label": label or "", "types": types, "sort_order": order, "video_attributes": video}
            )
            if image.media_type == "image":
                images.append({"resource": {"url": url, "label": label or "", "roles": roles}, "sortOrder": order})
            elif image.media_type == VIDEO_TYPE:
                videos.append(
                    {"preview": {"url": url, "label": label or "", "roles": roles}, "video": video, "sortOrder": order}
                )
        images.sort(key=lambda i: (i["sortOrder"], i["resource"]["url"]))
        videos.sort(key=lambda v: (v["sortOrder"], v["preview"]["url"]))
        gallery.sort(key=lambda m: (m["sort_order"], m["url"]))
        for entry in (*images, *videos):
            entry["sortOrder"] = str(entry["sortOrder"])  # the Image and Video records declare it a String
        media: Item = {"images": images, "videos": videos, "media_gallery": gallery}
        for code, (field_name, label_code) in DEPRECATED_IMAGES.items():
            media[field_name] = self._deprecated_image(files_by_role.get(code), label_code, values, store_id)
        return media

    def _deprecated_image(
        self, file: Any, label_code: str | None, values: EntityValues, store_id: int
    ) -> dict[str, Any] | None:
        """``{url, label}`` of a role attribute, sent whenever the attribute has a value, as Adobe's
        ImageFormatter does (``no_selection`` included); the label is the role's label attribute."""
        if file is None:
            return None
        label_attribute = self.image_labels.get(label_code) if label_code else None
        label = None if label_attribute is None else resolve(values, label_attribute, store_id)
        return {"url": f"{self.media_urls[store_id]}{file}", "label": None if label is None else str(label)}

    @staticmethod
    def _video(image: _Image, store_id: int) -> dict[str, Any] | None:
        """VideoItem: each column at the store view, else store 0; empty ones null, none at all null."""
        at_store, default = image.video.get(store_id), image.video.get(0)
        video: dict[str, Any] = {}
        for index, (_, name) in enumerate(VIDEO_FIELDS):
            value = at_store[index] if at_store is not None else None
            if value is None and default is not None:
                value = default[index]
            video[name] = value if value not in (None, "", "0") else None  # PHP's empty()
        if all(value is None for value in video.values()):
            return None
        video["mediaType"] = image.media_type
        return video


_FINGERPRINT_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS


def _context_digest(source: MagentoSource) -> bytes:
    """What every product's items depend on besides its own rows; read once per source (run)."""
    digest = source.memo.get("products.context")
    if digest is None:
        attributes = sorted(
            (a.attribute_id, a.code, a.backend_type, a.frontend_input, a.is_global, a.is_user_defined)
            for a in source.product_attributes.by_id.values()
        )
        payload = (
            FEED_VERSION,
            sorted(repr(v) for v in source.scopes.store_views.values()),
            attributes,
            {sid: source.product_option_labels.for_store(sid) for sid in source.scopes.store_ids},
            {sid: source.media_base_url(sid) for sid in source.scopes.store_ids},
            repr(source.category_attributes.get("url_path")),
            tax_class_names(source),
            [part.context(source) for part in PARTS],
        )
        digest = source.memo["products.context"] = hashlib.sha1(
            orjson.dumps(payload, default=str, option=_FINGERPRINT_OPTIONS)
        ).digest()
    return digest


def build_products(source: MagentoSource, lo: int, hi: int, known: Mapping[int, str] | None = None) -> BuildResult:
    """Every products-feed item for entity ids ``lo..hi`` (inclusive).

    Products whose fingerprint equals ``known[entity_id]`` are skipped (see ``BuildResult``).
    """
    with source.connect() as conn:
        chunk = _read_chunk(conn, source, lo, hi)
    result = BuildResult()
    _ProductAssembler(source, chunk).build(result, known or {})
    return result


PRODUCTS = FeedSpec(
    name="products",
    summary="Products Feed",
    mode="immediate",
    table="cde_products_feed",
    identity=("sku", "storeViewCode"),
    minimal_payload=("productId", "sku", "storeViewCode", "storeCode", "websiteCode", "modifiedAt"),
    source_key="productId",
    source_ids=catalog_product_entity.c.entity_id,
    builder=build_products,
    schema_file="products.json",
    reads=(
        *SCOPE_TABLES,
        *EAV_TABLES,
        *PRODUCT_VALUE_TABLES,
        "catalog_product_entity",
        "catalog_product_website",
        "catalog_category_product",
        "catalog_category_entity",
        "catalog_category_entity_varchar",
        "catalog_product_entity_media_gallery",
        "catalog_product_entity_media_gallery_value",
        "catalog_product_entity_media_gallery_value_to_entity",
        "catalog_product_entity_media_gallery_value_video",
        "cataloginventory_stock_status",
        "catalog_product_super_link",
        "catalog_product_relation",
        "tax_class",
        *(table for part in PARTS for table in part.reads),
    ),
)
