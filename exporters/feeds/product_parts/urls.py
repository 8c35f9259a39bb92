"""``url`` and ``urlRewrites``: a product's storefront URLs from ``url_rewrite`` (CatalogUrlRewriteDataExporter).

Adobe's ``Urls`` provider sends the store's *link* base URL followed by the request path of the
product's canonical rewrite (``redirect_type = 0``, ``metadata IS NULL``: the one without a
category in its path), or ``catalog/product/view/id/<id>/s/<url key>/`` when the product has no
such rewrite. Its ``UrlRewrites`` provider sends every product rewrite of the store view, category
paths and permanent redirects included, as the store's *web* base URL plus the request path, with
the ``name/value`` pairs that follow ``catalog/product/view`` in the target path as parameters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from exporters.feeds.product_parts.base import ProductView
from exporters.model import Item
from exporters.source import MagentoSource
from exporters.source.schema import id_between, url_rewrite

_PLACEHOLDERS = ("{{secure_base_url}}", "{{unsecure_base_url}}", "{{base_url}}")


def web_base_url(source: MagentoSource, store_id: int) -> str:
    """The store view's base URL (``web/secure/base_url``, else ``web/unsecure/base_url``).

    Secure first, as ``MagentoSource.media_base_url`` does, so that every URL of an item starts
    the same way.
    """
    return (
        source.config_value("web/secure/base_url", store_id) or source.config_value("web/unsecure/base_url", store_id)
    ) or ""


def link_base_url(source: MagentoSource, store_id: int) -> str:
    """``Store::getBaseUrl(URL_TYPE_LINK, false)``, what ``StoreConfigManager`` calls the base link URL.

    ``web/unsecure/base_link_url`` (default ``{{unsecure_base_url}}``), then ``index.php/`` when
    ``web/seo/use_rewrites`` is switched off and the store code when ``web/url/use_store`` is on.
    """
    base = source.config_value("web/unsecure/base_url", store_id) or ""
    url = source.config_value("web/unsecure/base_link_url", store_id) or base
    for placeholder in _PLACEHOLDERS:
        url = url.replace(placeholder, base)
    if source.config_value("web/seo/use_rewrites", store_id) == "0":
        url += "index.php/"
    view = source.scopes.store_views.get(store_id)
    if view is not None and source.config_value("web/url/use_store", store_id) == "1":
        url += f"{view.code}/"
    return url


def url_parameters(target_path: str | None) -> list[dict[str, str]]:
    """``catalog/product/view/id/7/category/3`` -> ``[{id: 7}, {category: 3}]`` (Adobe's getUrlParameters).

    The first three segments are the route; the rest are name/value pairs, an odd last one dropped.
    """
    parts = (target_path or "").strip("/").split("/")
    return [{"name": parts[i], "value": parts[i + 1]} for i in range(3, len(parts) - 1, 2)]


@dataclass(frozen=True, slots=True)
class _Rewrite:
    rewrite_id: int
    request_path: str
    target_path: str | None
    canonical: bool
    #: ``url_parameters(target_path)``, parsed once per row rather than once per item.
    parameters: list[dict[str, str]]


@dataclass(slots=True)
class _UrlRows:
    bases: dict[int, tuple[str, str]]  # store -> (link base, web base)
    #: product -> store -> rewrites in ``url_rewrite_id`` order.
    rewrites: dict[int, dict[int, list[_Rewrite]]] = field(default_factory=dict)

    def fingerprint(self, product_id: int) -> Any:
        by_store = self.rewrites.get(product_id)
        if not by_store:
            return None
        return {
            store_id: [(r.rewrite_id, r.request_path, r.target_path, r.canonical) for r in rows]
            for store_id, rows in by_store.items()
        }

    def fields(self, product: ProductView) -> Item:
        store_id = product.view.store_id
        link_base, web_base = self.bases.get(store_id, ("", ""))
        rewrites = self.rewrites.get(int(product.row.entity_id), {}).get(store_id, [])
        path = None
        for rewrite in rewrites:
            if rewrite.canonical:
                path = rewrite.request_path  # Adobe keeps the last one its query returns
        if path is None:
            url_key = product.item.get("urlKey")
            path = f"catalog/product/view/id/{product.row.entity_id}/s/{url_key or ''}/"
        return {
            "url": link_base + path,
            "urlRewrites": [
                {"url": web_base + r.request_path, "parameters": [dict(p) for p in r.parameters]} for r in rewrites
            ],
        }


class UrlsPart:
    """``url`` and ``urlRewrites`` from ``url_rewrite`` rows of ``entity_type = 'product'``."""

    reads: tuple[str, ...] = ("url_rewrite",)

    def context(self, source: MagentoSource) -> Any:
        return {sid: _bases(source, sid) for sid in source.scopes.store_ids}

    def read(self, conn: Connection, source: MagentoSource, lo: int, hi: int) -> _UrlRows:
        u = url_rewrite
        rows = _UrlRows({sid: _bases(source, sid) for sid in source.scopes.store_ids})
        rewrites: dict[int, dict[int, list[_Rewrite]]] = defaultdict(lambda: defaultdict(list))
        for rewrite_id, entity_id, store_id, request_path, target_path, redirect_type, metadata in conn.execute(
            select(
                u.c.url_rewrite_id,
                u.c.entity_id,
                u.c.store_id,
                u.c.request_path,
                u.c.target_path,
                u.c.redirect_type,
                u.c.metadata,
            )
            .where(
                u.c.entity_type == "product",
                id_between(u.c.entity_id, lo, hi),
                u.c.store_id.in_(source.scopes.store_ids),
            )
            .order_by(u.c.url_rewrite_id)
        ):
            if request_path is None:
                continue  # no URL to send; Magento declares the column NOT NULL
            canonical = int(redirect_type or 0) == 0 and metadata is None
            rewrites[int(entity_id)][int(store_id)].append(
                _Rewrite(int(rewrite_id), str(request_path), target_path, canonical, url_parameters(target_path))
            )
        rows.rewrites = {pid: dict(by_store) for pid, by_store in rewrites.items()}
        return rows


def _bases(source: MagentoSource, store_id: int) -> tuple[str, str]:
    memo_key = f"products.urls.bases.{store_id}"
    bases = source.memo.get(memo_key)
    if bases is None:
        bases = source.memo[memo_key] = (link_base_url(source, store_id), web_base_url(source, store_id))
    return bases


URLS = UrlsPart()
