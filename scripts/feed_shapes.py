"""Regenerate ``exporters/feeds/shapes/<feed>.json`` and ``docs/feed-fields.md`` from Adobe's sources.

The shapes are read from the ``etc/et_schema.xml`` files of one named commit of
``magento/commerce-data-export`` (a bare mirror, read with ``git show``), so the inventory is data
derived from a commit anyone can check out, not a transcription. Records declared in several
modules (``Product`` gets ``inStock`` from CatalogInventoryDataExporter, ``url`` from
CatalogUrlRewriteDataExporter, ...) are merged, and nested records expanded.

Whether Adobe *fills* a declared field is decided from the same commit: a field with a
``provider`` is filled; otherwise its name (or snake_case form) must occur in a non-test PHP or XML
file other than et_schema.xml (a query column alias, an array key a provider writes). ``FILLED``
below corrects that guess where reading the code says otherwise, each with the evidence.

The two Adobe Commerce feeds (categoryPermissions, productOverrides) come from modules that are not
public; their shapes are written here from Adobe's published description, and the file says so.

Hand-kept data survives regeneration: each shape file's ``differences`` (pointer -> reason) is
read back and written again. Usage::

    git clone --bare https://github.com/magento/commerce-data-export var/commerce-data-export.git
    .venv/bin/python scripts/feed_shapes.py [--mirror DIR] [--commit SHA]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exporters.feeds import shapes  # noqa: E402

REPOSITORY = "magento/commerce-data-export"
COMMIT = "d6da4e6b54d1b52247a8dd8fb7f6dc0a2d9c1d71"
#: A bare clone of the repository: ``git clone --bare https://github.com/magento/commerce-data-export
#: var/commerce-data-export.git`` (or ``--mirror`` / ``SAAS_EXPORT_ADOBE_MIRROR`` elsewhere).
MIRROR = Path(os.environ.get("SAAS_EXPORT_ADOBE_MIRROR", ROOT / "var" / "commerce-data-export.git"))
SHAPES_DIR = ROOT / "exporters" / "feeds" / "shapes"
DOC = ROOT / "docs" / "feed-fields.md"

#: Our feed name -> the field of Adobe's ``Export`` record that declares it.
EXPORT_FIELDS = {
    "products": "products",
    "prices": "prices",
    "categories": "categories",
    "productAttributes": "productAttributes",
    "variants": "variants",
    "inventoryStockStatus": "inventoryStockStatus",
    "scopesWebsite": "scopesWebsite",
    "scopesCustomerGroup": "scopesCustomerGroup",
    "orders": "orders",
}

#: (record, field) -> (filled, evidence): where reading the code overrules the name search.
FILLED: dict[tuple[str, str], tuple[bool, str]] = {
    ("Product", "deletedAt"): (False, "declared only: no provider, query or formatter sets it"),
    ("Product", "categoryIds"): (False, "'@deprecated. not used' in et_schema.xml: nothing sets it"),
    ("Product", "inventory"): (False, "no provider sets it; stock goes out as inStock/lowStock"),
    ("Product", "productType"): (False, "nothing in CatalogDataExporter sets it; the product type is `type`"),
    (
        "Product",
        "variants",
    ): (False, "ConfigurableProductDataExporter Provider/Product/Variants::get returns [] ('API does not use it')"),
}

#: Product fields read from EAV attributes by ProductAttributeQuery and camel-cased
#: (``samples_title`` -> ``samplesTitle``): the attribute code is not spelled in the exporter.
PRODUCT_EAV_FIELDS = {
    "name",
    "description",
    "shortDescription",
    "metaDescription",
    "metaKeyword",
    "metaTitle",
    "samplesTitle",
    "linksExist",
    "linksPurchasedSeparately",
    "status",
    "taxClassId",
    "urlKey",
    "visibility",
    "weight",
    "weightType",
    "priceView",
}

#: What a field means, by ``Record.field`` or, where one meaning serves every record, by name.
MEANINGS: dict[str, str] = {
    # scopes and identity
    "sku": "product SKU",
    "productId": "product entity id",
    "storeViewCode": "store view code",
    "storeCode": "store (group) code",
    "websiteCode": "website code",
    "websiteId": "website id",
    "customerGroupCode": "customer group, as sha1 of its id",
    "storeId": "store view id the order was placed in",
    "modifiedAt": "when the exporter built the item",
    "createdAt": "creation time",
    "updatedAt": "last update time",
    "deleted": "true on a tombstone",
    # products
    "Product.name": "product name",
    "Product.type": "product type (simple, configurable, bundle_fixed, ...)",
    "Product.productType": "product type (declared, unused)",
    "Product.priceView": "bundle price view (price range / as low as)",
    "Product.shortDescription": "short description",
    "Product.description": "description",
    "Product.image": "deprecated base image (use images)",
    "Product.smallImage": "deprecated small image (use images)",
    "Product.swatchImage": "deprecated swatch image (use images)",
    "Product.thumbnail": "deprecated thumbnail (use images)",
    "Product.linksExist": "downloadable product has links",
    "Product.linksPurchasedSeparately": "downloadable links can be bought one by one",
    "Product.metaDescription": "meta description",
    "Product.metaKeyword": "meta keywords",
    "Product.metaTitle": "meta title",
    "Product.samplesTitle": "title of the downloadable samples block",
    "Product.status": "Enabled or Disabled",
    "Product.taxClassId": "tax class name",
    "Product.urlKey": "URL key",
    "Product.visibility": "Not Visible Individually, Catalog, Search or Catalog, Search",
    "Product.weight": "weight",
    "Product.weightUnit": "weight unit of the store (lbs/kgs)",
    "Product.weightType": "bundle weight fixed or dynamic",
    "Product.currency": "base currency of the store view's website",
    "Product.deletedAt": "declared, never sent",
    "ImageDeprecated.url": "image URL",
    "ImageDeprecated.label": "image label",
    "MediaItem.url": "media URL",
    "MediaItem.label": "label",
    "MediaItem.types": "image roles",
    "MediaItem.sort_order": "position",
    "MediaItem.video_attributes": "video data of a video entry",
    "Inventory.qty": "quantity",
    "Inventory.configuration": "stock settings",
    "InventorySettings.status": "stock status",
    "InventorySettings.manageStock": "stock managed",
    "InventorySettings.threshold": "out-of-stock threshold",
    "InventorySettings.productAvailable": "available",
    "ProductShopperInputOption.sortOrder": "position",
    "ProductShopperInputOption.required": "the shopper must fill it",
    "ProductShopperInputOption.renderType": "field, area, file, date, date_time or time",
    "Product.displayable": "visible and enabled in the store view",
    "Product.buyable": "enabled and in stock",
    "Product.attributes": "user-defined attribute values",
    "Product.categories": "deprecated category paths (use categoryData)",
    "Product.categoryIds": "deprecated, unused",
    "Product.categoryData": "categories the product is in, with path and position",
    "Product.inventory": "declared, never sent",
    "Product.media_gallery": "deprecated gallery (use images/videos)",
    "Product.optionsV2": "configurable, bundle, grouped, downloadable and selectable custom options with values",
    "Product.shopperInputOptions": "custom options the shopper types in (field, area, file, date)",
    "Product.samples": "downloadable samples",
    "Product.images": "gallery images with roles",
    "Product.videos": "gallery videos",
    "Product.links": "related, up-sell and cross-sell products",
    "Product.inStock": "in stock in the store view's stock",
    "Product.lowStock": "at or under the notify-quantity threshold",
    "Product.url": "storefront URL of the product",
    "Product.urlRewrites": "URL rewrites of the product in the store view",
    "Product.variants": "deprecated child SKUs (Adobe sends none)",
    "Product.parents": "configurable/bundle/grouped parents",
    "Attribute.attributeCode": "attribute code",
    "Attribute.value": "value labels",
    "Attribute.valueId": "option ids of select values",
    "CategoryData.categoryId": "category id",
    "CategoryData.categoryPath": "category URL path",
    "CategoryData.productPosition": "product position in the category",
    "ProductOption.id": "option uid",
    "ProductOption.label": "option label",
    "ProductOption.sortOrder": "option position",
    "ProductOption.required": "the shopper must choose",
    "ProductOption.renderType": "how to render it (drop_down, radio, swatch ...)",
    "ProductOption.type": "option kind (super, bundle, custom_option, downloadable, grouped)",
    "ProductOption.swatchType": "visual/text swatch of a configurable attribute",
    "ProductOption.values": "the option's values",
    "ProductOptionValue.id": "value uid",
    "ProductOptionValue.label": "value label",
    "ProductOptionValue.sortOrder": "value position",
    "ProductOptionValue.isDefault": "preselected",
    "ProductOptionValue.colorHex": "visual swatch colour",
    "ProductOptionValue.imageUrl": "visual swatch image",
    "ProductOptionValue.customSwatchValue": "text swatch value",
    "ProductOptionValue.qtyMutability": "the shopper may change the quantity",
    "ProductOptionValue.qty": "default quantity",
    "ProductOptionValue.infoUrl": "downloadable link sample URL",
    "ProductOptionValue.sku": "SKU of the selection or option value",
    "ProductOptionValue.price": "price of the value",
    "ProductOptionValue.priceType": "fixed or percent (bundle/custom options)",
    "ProductShopperInputOption.id": "option uid",
    "ProductShopperInputOption.label": "option title",
    "ProductShopperInputOption.price": "option price",
    "ProductShopperInputOption.fileExtension": "allowed file extensions",
    "ProductShopperInputOption.sku": "option SKU",
    "ProductShopperInputOption.range": "max characters / value range",
    "ProductShopperInputOption.imageSizeX": "max image width",
    "ProductShopperInputOption.imageSizeY": "max image height",
    "ValueRange.from": "lower bound",
    "ValueRange.to": "upper bound",
    "MediaResource.url": "media URL",
    "MediaResource.label": "label",
    "MediaResource.roles": "image roles (image, small_image, thumbnail, swatch_image, hide_from_pdp)",
    "sortOrder": "position",
    "resource": "the media resource",
    "preview": "video preview image",
    "video": "the video",
    "videoProvider": "video provider",
    "videoUrl": "video URL",
    "videoTitle": "video title",
    "videoDescription": "video description",
    "videoMetadata": "video metadata",
    "mediaType": "media type (external-video)",
    "Link.sku": "linked product SKU",
    "Link.type": "related, up_sell or crosssell",
    "UrlRewrite.url": "request path",
    "UrlRewrite.parameters": "target parameters",
    "UrlRewriteParameter.name": "parameter name",
    "UrlRewriteParameter.value": "parameter value",
    "ParentProduct.sku": "parent SKU",
    "ParentProduct.productType": "parent type",
    "Variant.sku": "child SKU",
    # prices
    "ProductPriceV2.type": "SIMPLE or COMPLEX (composite products)",
    "ProductPriceV2.parents": "parents of the product",
    "ProductPriceV2.regular": "regular price",
    "ProductPriceV2.discounts": "special and catalog-rule prices",
    "ProductPriceV2.tierPrices": "tier prices",
    "ProductPriceParent.type": "parent type",
    "ProductPriceParent.sku": "parent SKU",
    "DiscountPrice.code": "special_price or catalog_rule",
    "price": "price",
    "percentage": "percentage discount",
    "TierPrice.qty": "minimum quantity",
    # categories
    "Category.categoryId": "category id",
    "Category.name": "name",
    "Category.description": "description",
    "Category.metaTitle": "meta title",
    "Category.metaKeywords": "meta keywords",
    "Category.metaDescription": "meta description",
    "Category.displayMode": "PRODUCTS, PAGE or PRODUCTS_AND_PAGE",
    "Category.urlKey": "URL key",
    "Category.urlPath": "URL path",
    "Category.image": "image URL",
    "Category.level": "depth in the tree",
    "Category.path": "ids from the root",
    "Category.parentId": "parent category id",
    "Category.children": "child category ids",
    "Category.position": "position among siblings",
    "Category.defaultSortBy": "default product sort",
    "Category.availableSortBy": "product sorts offered",
    "Category.isAnchor": "shows products of subcategories (0/1)",
    "Category.includeInMenu": "in the navigation menu (0/1)",
    "Category.isActive": "enabled (0/1)",
    # product attributes
    "ProductAttributeMetadata.id": "attribute id",
    "ProductAttributeMetadata.attributeCode": "attribute code",
    "ProductAttributeMetadata.attributeType": "catalog_product",
    "ProductAttributeMetadata.dataType": "storefront data type",
    "ProductAttributeMetadata.multi": "multiselect",
    "ProductAttributeMetadata.label": "store label",
    "ProductAttributeMetadata.frontendInput": "frontend input",
    "ProductAttributeMetadata.required": "required",
    "ProductAttributeMetadata.unique": "unique",
    "ProductAttributeMetadata.global": "global scope",
    "ProductAttributeMetadata.visible": "visible on the storefront",
    "ProductAttributeMetadata.searchable": "searchable",
    "ProductAttributeMetadata.filterable": "filterable in layered navigation",
    "ProductAttributeMetadata.visibleInCompareList": "in the compare list",
    "ProductAttributeMetadata.visibleInListing": "used in product listing",
    "ProductAttributeMetadata.sortable": "used for sort by",
    "ProductAttributeMetadata.visibleInSearch": "visible in advanced search",
    "ProductAttributeMetadata.filterableInSearch": "filterable in search results",
    "ProductAttributeMetadata.searchWeight": "search weight",
    "ProductAttributeMetadata.usedForRules": "used for promo rules",
    "ProductAttributeMetadata.boolean": "boolean attribute",
    "ProductAttributeMetadata.systemAttribute": "system (not user-defined)",
    "ProductAttributeMetadata.numeric": "numeric attribute",
    # variants
    "ProductVariant.id": "variant id (prefix/parentSku/productSku)",
    "ProductVariant.optionValues": "the configurable values that select it",
    "ProductVariant.parentId": "parent product id",
    "ProductVariant.productId": "child product id",
    "ProductVariant.parentSku": "parent SKU",
    "ProductVariant.productSku": "child SKU",
    "VariantOption.attributeCode": "attribute code",
    "VariantOption.uid": "option value uid",
    "VariantOption.label": "value label",
    "VariantOption.valueIndex": "deprecated option id",
    # inventory
    "StockItemStatus.stockId": "stock id",
    "StockItemStatus.qty": "quantity",
    "StockItemStatus.qtyForSale": "quantity minus reservations",
    "StockItemStatus.infiniteStock": "stock not managed or backorders unlimited",
    "StockItemStatus.lowStock": "at or under the notify threshold",
    "StockItemStatus.isSalable": "salable",
    # scopes
    "Website.websiteId": "website id",
    "Website.stores": "store groups of the website",
    "StoreGroup.storeId": "store group id",
    "StoreGroup.storeViews": "store views of the group",
    "StoreView.storeViewId": "store view id",
    "CustomerGroup.customerGroupId": "customer group id",
    "CustomerGroup.customerGroupCode": "sha1 of the id",
    "CustomerGroup.websites": "website codes the group may use",
    # orders
    "OrderV2.orderId": "order UUID",
    "UUID.id": "UUID",
    "OrderV2.commerceOrderId": "order entity id",
    "OrderV2.commerceOrderNumber": "increment id",
    "OrderV2.externalId": "id in an external sales channel",
    "OrderExternalId.id": "external id",
    "OrderExternalId.salesChannel": "sales channel",
    "OrderV2.state": "order state as an integer",
    "OrderV2.status": "order status",
    "OrderV2.totalInvoiced": "base total invoiced",
    "OrderV2.totalQtyOrdered": "total quantity ordered",
    "isVirtual": "virtual (no shipping)",
    "OrderV2.subtotal": "base subtotal",
    "grandTotal": "base grand total",
    "discountAmount": "base discount",
    "currency": "base currency code",
    "OrderV2.amountCapturedOnline": "base amount captured online",
    "OrderV2.amountRefundedOnline": "base amount refunded online",
    "OrderV2.amountAuthorized": "base amount authorized",
    "OrderV2.amountPaid": "base amount paid",
    "OrderV2.amountRefunded": "base amount refunded",
    "OrderV2.amountCanceled": "base amount canceled",
    "OrderV2.customerId": "customer id (null for guests)",
    "OrderV2.customerEmail": "customer e-mail",
    "OrderV2.customerNote": "customer note",
    "OrderV2.payment": "payment method, billing address and totals",
    "OrderV2.shipping": "shipping method, address and amounts",
    "OrderV2.items": "order items",
    "OrderV2.invoices": "invoices",
    "OrderV2.creditMemos": "credit memos",
    "OrderV2.transactions": "payment transactions",
    "OrderV2.shipments": "shipments",
    "additionalInformation": "name/value pairs",
    "CustomAttribute.name": "name",
    "CustomAttribute.value": "value",
    "Payment.billingAddress": "billing address",
    "Payment.paymentMethodName": "payment method title",
    "Payment.paymentMethodCode": "payment method code",
    "Payment.totalAmount": "base subtotal",
    "Payment.taxAmount": "base tax",
    "Shipping.shippingAddress": "shipping address",
    "Shipping.shippingMethodName": "shipping description",
    "Shipping.shippingMethodCode": "shipping method",
    "Shipping.shippingAmount": "base shipping amount",
    "Shipping.shippingTax": "base shipping tax",
    "phone": "telephone",
    "region": "region",
    "postcode": "postcode",
    "street": "street",
    "multiLineStreet": "street lines",
    "city": "city",
    "country": "country id",
    "firstname": "first name",
    "lastname": "last name",
    "OrderItemV2.itemId": "order item UUID",
    "OrderItemV2.entityId": "order item id",
    "OrderItemV2.parentEntityId": "parent order item id",
    "qtyInvoiced": "quantity invoiced",
    "qtyShipped": "quantity shipped",
    "OrderItemV2.qtyBackordered": "quantity backordered",
    "OrderItemV2.qtyOrdered": "quantity ordered",
    "qtyRefunded": "quantity refunded",
    "OrderItemV2.qtyCanceled": "quantity canceled",
    "OrderItemV2.productType": "product type",
    "OrderItemV2.productOptions": "serialized product options",
    "OrderItemV2.itemsShippedTogether": "bundle children ship together",
    "OrderItemV2.sku": "ordered SKU",
    "OrderItemV2.productSku": "SKU of the product itself",
    "OrderItemV2.name": "product name",
    "OrderItemV2.qty": "quantity ordered (integer)",
    "OrderItemV2.unitPrice": "base price",
    "OrderItemV2.itemPrice": "base row total",
    "OrderItemV2.taxAmount": "base tax",
    "OrderItemV2.totalAmount": "base row total incl. tax minus discount",
    "OrderItemV2.weight": "weight",
    "InvoiceV2.entityId": "invoice id",
    "InvoiceV2.isUsedForRefund": "used for a refund",
    "InvoiceV2.commerceInvoiceNumber": "invoice increment id",
    "InvoiceV2.invoiceItems": "invoiced items",
    "orderItemId": "order item UUID",
    "CreditMemoV2.creditMemoId": "credit memo UUID",
    "CreditMemoV2.entityId": "credit memo id",
    "CreditMemoV2.state": "credit memo state",
    "CreditMemoV2.creditMemoComments": "comments",
    "CreditMemoV2.shippingAmount": "base shipping refunded",
    "CreditMemoV2.shippingTaxAmount": "base shipping tax refunded",
    "CreditMemoV2.adjustment": "base adjustment",
    "CreditMemoV2.refundTaxes": "refunded taxes",
    "CreditMemoV2.subtotal": "base subtotal",
    "CreditMemoV2.productsTaxAmount": "base tax",
    "CreditMemoV2.commerceCreditMemoNumber": "credit memo increment id",
    "CreditMemoV2.refundItems": "refunded items",
    "RefundItem.basePrice": "base price",
    "RefundItem.baseRowTotal": "base row total",
    "RefundItem.productTaxes": "taxes of the item",
    "Tax.taxName": "tax title",
    "Tax.taxType": "tax type",
    "Tax.taxAmount": "tax amount",
    "TransactionV2.entityId": "transaction id",
    "TransactionV2.txnId": "gateway transaction id",
    "TransactionV2.type": "transaction type",
    "Shipment.shipmentId": "shipment UUID",
    "Shipment.trackingInfo": "tracking",
    "Shipment.commerceShipmentNumber": "shipment increment id",
    "Shipment.items": "shipped items",
    "TrackingInfo.shippingCarrier": "carrier code",
    "TrackingInfo.shippingMethod": "carrier title",
    "TrackingInfo.trackingNumber": "tracking number",
    "TrackingInfo.trackingUrl": "tracking URL",
}


#: Where the value comes from in Magento, by ``Record.field``, where the exporter's code does not say it
#: in one place (EAV attributes, formatters, providers that join several tables).
MAGENTO: dict[str, str] = {
    "Product.sku": "`catalog_product_entity.sku`",
    "Product.productId": "`catalog_product_entity.entity_id`",
    "Product.type": "`catalog_product_entity.type_id`; a fixed-price bundle -> `bundle_fixed` (Bundle provider `Type`)",
    "Product.storeViewCode": "`store.code` of each store view of the product's websites (`catalog_product_website`)",
    "Product.storeCode": "`store_group.code`",
    "Product.websiteCode": "`store_website.code`",
    "Product.createdAt": "`catalog_product_entity.created_at`",
    "Product.updatedAt": "`catalog_product_entity.updated_at`",
    "Product.modifiedAt": "set by the exporter when it builds the item",
    "Product.status": "EAV `status` 1/2 -> Enabled/Disabled",
    "Product.visibility": "EAV `visibility` 1-4 -> its label",
    "Product.taxClassId": "EAV `tax_class_id` -> `tax_class.class_name`",
    "Product.image": "EAV `image` + `catalog_product_entity_media_gallery(_value)` label",
    "Product.smallImage": "EAV `small_image` + gallery label",
    "Product.swatchImage": "EAV `swatch_image` + gallery label",
    "Product.thumbnail": "EAV `thumbnail` + gallery label",
    "Product.weightUnit": "`core_config_data` general/locale/weight_unit at the store view",
    "Product.currency": "`core_config_data` currency/options/base at the website",
    "Product.displayable": "status enabled and visibility not 'Not Visible Individually'",
    "Product.buyable": "status enabled and in stock (CatalogInventory plugin)",
    "Product.attributes": "user-defined EAV attributes (`eav_attribute.is_user_defined`) with option labels",
    "Product.categories": "category URL paths of `catalog_category_product`",
    "Product.categoryData": "`catalog_category_product` (position) with the category's `url_path`",
    "Product.media_gallery": "`catalog_product_entity_media_gallery(_value)`, `_value_video`",
    "Product.optionsV2": "`catalog_product_super_attribute(_label)` + `eav_attribute_option_swatch`; "
    "`catalog_product_bundle_option(_value)`/`_selection`; `catalog_product_option*` (select types); "
    "`downloadable_link(_title, _price)`; `catalog_product_link` (grouped)",
    "Product.shopperInputOptions": "`catalog_product_option(_title, _price)` of types field, area, file, date",
    "Product.samples": "`downloadable_sample(_title)`",
    "Product.images": "`catalog_product_entity_media_gallery(_value)` images with their role attributes; "
    "a disabled image gets the role hide_from_pdp",
    "Product.videos": "`catalog_product_entity_media_gallery_value_video`",
    "Product.links": "`catalog_product_link` with `catalog_product_link_type` (relation, up_sell, cross_sell)",
    "Product.inStock": "`cataloginventory_stock_status` / the store view's MSI stock",
    "Product.lowStock": "`cataloginventory_stock_item` qty vs notify_stock_qty",
    "Product.url": "`url_rewrite` of the product (no category) at the store view, with the store's base URL",
    "Product.urlRewrites": "`url_rewrite` rows of the product at the store view",
    "Product.parents": "`catalog_product_relation` with the parent's `type_id`",
    "ProductPriceV2.websiteId": "`store_website.website_id`",
    "ProductPriceV2.productId": "`catalog_product_entity.entity_id`",
    "ProductPriceV2.regular": "EAV `price` (website scope when price scope is website)",
    "ProductPriceV2.discounts": "EAV `special_price` (within its dates), `catalogrule_product_price`",
    "ProductPriceV2.tierPrices": "`catalog_product_entity_tier_price`",
    "ProductPriceV2.parents": "`catalog_product_relation`",
    "ProductPriceV2.customerGroupCode": "sha1 of `customer_group_id`",
    "ProductPriceV2.updatedAt": "set by the exporter (RFC 3339)",
    "Category.categoryId": "`catalog_category_entity.entity_id`",
    "Category.level": "`catalog_category_entity.level`",
    "Category.path": "`catalog_category_entity.path`",
    "Category.parentId": "`catalog_category_entity.parent_id`",
    "Category.position": "`catalog_category_entity.position`",
    "Category.children": "ids of `catalog_category_entity` rows whose parent_id is the category",
    "Category.isActive": "EAV `is_active` (and its ancestors')",
    "Category.isAnchor": "EAV `is_anchor`",
    "Category.includeInMenu": "EAV `include_in_menu`",
    "Category.image": "EAV `image` as a media URL",
    "Category.urlPath": "EAV `url_path`",
    "Category.urlKey": "EAV `url_key`",
    "Category.defaultSortBy": "EAV `default_sort_by`, else config catalog/frontend/default_sort_by",
    "Category.availableSortBy": "EAV `available_sort_by`, else all sortable attributes",
    "ProductAttributeMetadata.id": "`eav_attribute.attribute_id`",
    "ProductAttributeMetadata.attributeCode": "`eav_attribute.attribute_code`",
    "ProductAttributeMetadata.label": "`eav_attribute_label` at the store, else `frontend_label`",
    "ProductAttributeMetadata.frontendInput": "`eav_attribute.frontend_input`",
    "ProductAttributeMetadata.dataType": "from `backend_type`/`frontend_input`",
    "ProductVariant.optionValues": "`catalog_product_super_attribute` + the child's EAV option value",
    "ProductVariant.parentId": "`catalog_product_super_link.parent_id`",
    "ProductVariant.productId": "`catalog_product_super_link.product_id`",
    "StockItemStatus.stockId": "`inventory_stock` / `inventory_stock_<id>` view",
    "StockItemStatus.qty": "`inventory_stock_<id>.quantity` (or `cataloginventory_stock_status.qty`)",
    "StockItemStatus.qtyForSale": "qty plus `inventory_reservation` sums, minus min qty",
    "StockItemStatus.infiniteStock": "`cataloginventory_stock_item` manage_stock = 0 or backorders without limit",
    "StockItemStatus.lowStock": "qty vs `notify_stock_qty`",
    "StockItemStatus.isSalable": "`inventory_stock_<id>.is_salable`",
    "UUID.id": "`data_exporter_uuid.uuid` (Uuid providers)",
}


COMMERCE_SOURCE = {
    "repository": "not public (Adobe Commerce module {module}): no public repository holds its et_schema.xml; "
    "docs/{doc} says what the shape was read from (for categoryPermissions: its PHP providers, FeedItemBuilder "
    "and integration test, found in indexed public copies)",
    "documented": "issue 11 (the record as Adobe's module sends it); Adobe's public docs name only the feed and "
    "its table ('EE, schema not public': docs/original-system.md); docs/{doc}",
}


def _field(name: str, kind: str, meaning: str, magento: str, repeated: bool = False, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "repeated": repeated,
        "filled": True,
        "meaning": meaning,
        "magento": magento,
        **more,
    }


COMMERCE_SHAPES: dict[str, dict[str, Any]] = {
    "categoryPermissions": {
        "record": "CategoryPermission",
        "module": "magento/category-permission-data-exporter",
        "doc": "category-permissions-feed.md",
        "fields": [
            _field(
                "id",
                "CategoryPermissionId",
                "the scope the permission applies to",
                "magento_catalogpermissions row; NULL website/group give fallback records",
                fields=[
                    _field("websiteCode", "String", "website", "store_website.code of website_id"),
                    _field("customerGroupCode", "String", "customer group", "sha1 of customer_group_id"),
                    _field("categoryId", "String", "category", "magento_catalogpermissions.category_id"),
                ],
            ),
            _field("type", "String", "STANDARD (a category row) or GLOBAL (from configuration)", "row kind"),
            _field(
                "permission",
                "CategoryPermissionGrants",
                "the grants, each ALLOW, DENY or USE_PARENT",
                "grant_* columns: -1 ALLOW, -2 DENY, 0 USE_PARENT",
                fields=[
                    _field("DISPLAYED", "String", "browse the category", "grant_catalog_category_view"),
                    _field("DISPLAY_PRODUCT_PRICE", "String", "see prices", "grant_catalog_product_price"),
                    _field("ADD_TO_CART", "String", "add to cart", "grant_checkout_items"),
                    _field(
                        "GLOBAL_ENABLED",
                        "String",
                        "category permissions enabled (GLOBAL records)",
                        "core_config_data catalog/magento_catalogpermissions/enabled",
                    ),
                ],
            ),
        ],
    },
    "productOverrides": {
        "record": "ProductOverride",
        "module": "magento/product-override-data-exporter",
        "doc": "product-overrides-feed.md",
        "fields": [
            _field("productId", "Int", "product id", "catalog_product_entity.entity_id"),
            _field("sku", "String", "product SKU", "catalog_product_entity.sku"),
            _field("websiteCode", "String", "website", "store_website.code"),
            _field("customerGroupCode", "String", "customer group", "sha1 of customer_group_id"),
            _field("displayable", "Boolean", "the group may see the product", "grant_catalog_category_view"),
            _field("priceDisplayable", "Boolean", "the group may see its price", "grant_catalog_product_price"),
            _field("addToCartAllowed", "Boolean", "the group may buy it", "grant_checkout_items"),
            _field("modifiedAt", "String", "when the item was built", "set by the exporter at build time"),
        ],
    },
}


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(mirror), *args], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout


@cache
def source_files(mirror: Path, commit: str) -> tuple[str, ...]:
    return tuple(git(mirror, "ls-tree", "-r", "--name-only", commit).splitlines())


@cache
def code_files(mirror: Path, commit: str) -> dict[str, str]:
    """Every non-test PHP and XML file except et_schema.xml: where a query or provider spells a key."""
    paths = [
        p
        for p in source_files(mirror, commit)
        if p.endswith((".php", ".xml")) and "/Test/" not in p and not p.endswith("et_schema.xml")
    ]
    return {p: git(mirror, "show", f"{commit}:{p}") for p in paths}


@cache
def query_columns(mirror: Path, commit: str) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Module -> query -> alias -> the ``table.column`` its ``etc/query.xml`` selects under that alias."""
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for path, text in code_files(mirror, commit).items():
        if not path.endswith("etc/query.xml"):
            continue
        module = path.split("/", 1)[0]
        for query in ET.fromstring(text).iter("query"):
            aliases = out.setdefault(module, {}).setdefault(query.attrib["name"], {})
            for source in query.iter():
                if source.tag not in ("source", "link-source"):
                    continue
                for attribute in source.findall("attribute"):
                    column = f"{source.attrib['name']}.{attribute.attrib['name']}"
                    columns = aliases.setdefault(attribute.attrib.get("alias", attribute.attrib["name"]), [])
                    if column not in columns:
                        columns.append(column)
    return out


def query_column(record: list[dict[str, Any]], name: str, module: str, mirror: Path, commit: str) -> str | None:
    """Where the query that reads ``record`` (the one selecting most of its fields) takes ``name`` from."""
    queries = query_columns(mirror, commit).get(module, {})
    names = {str(f["name"]) for f in record}
    ranked = sorted(queries.items(), key=lambda q: -len(names & set(q[1])))
    if ranked and len(names & set(ranked[0][1])) >= 2 and name in ranked[0][1]:
        query, aliases = ranked[0]
    else:
        having = [(q, a) for q, a in queries.items() if name in a]
        if len(having) != 1:
            return None
        query, aliases = having[0]
    columns = " or ".join(f"`{c}`" for c in aliases[name])
    return f"{columns} (query `{query}`, {module}/etc/query.xml)"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def provider_path(provider: str) -> str:
    """``Magento\\Module\\Model\\X`` -> ``Module/Model/X.php``: the provider's file in the repository."""
    return "/".join(provider.split("\\")[1:]) + ".php"


def mentioned_in(name: str, context: tuple[str, ...], module: str, files: dict[str, str]) -> str | None:
    """The file that spells ``name`` as a key: the nearest enclosing provider's file first, then its folder,
    then the declaring module, then anywhere."""
    patterns = []
    for spelled in {name, snake(name)}:
        word = re.escape(spelled)
        patterns.append(re.compile(rf"['\"]{word}['\"]|\bAS {word}\b|\b{word}\b\s*=>"))
    folders = [path.rsplit("/", 1)[0] + "/" for path in context]

    def rank(path: str) -> tuple[int, int, str]:
        if path in context:
            return (0, context.index(path), path)
        near = [i for i, folder in enumerate(folders) if path.startswith(folder)]
        if near:
            return (1, min(near), path)
        return (2 if path.startswith(f"{module}/") else 3, 0, path)

    for path in sorted(files, key=rank):
        if any(pattern.search(files[path]) for pattern in patterns):
            return path
    return None


def read_records(mirror: Path, commit: str) -> tuple[dict[str, list[dict[str, Any]]], dict[str, set[str]]]:
    """Every record with its fields merged over all modules, and the files that declare each record."""
    records: dict[str, list[dict[str, Any]]] = {}
    declared_in: dict[str, set[str]] = {}
    paths = sorted(p for p in source_files(mirror, commit) if p.endswith("etc/et_schema.xml"))
    # CatalogDataExporter declares Product; the modules that extend it come after, in name order.
    paths.sort(key=lambda p: not p.startswith("CatalogDataExporter/"))
    for path in paths:
        root = ET.fromstring(git(mirror, "show", f"{commit}:{path}"))
        for record in root.iter("record"):
            name = record.attrib["name"]
            fields = records.setdefault(name, [])
            declared_in.setdefault(name, set()).add(path)
            for element in record.iter("field"):
                field = {
                    "name": element.attrib["name"],
                    "type": element.attrib["type"],
                    "repeated": element.attrib.get("repeated", "false") == "true",
                    "provider": element.attrib.get("provider"),
                    "declaredIn": path,
                }
                existing = next((f for f in fields if f["name"] == field["name"]), None)
                if existing is None:
                    fields.append(field)
                elif field["provider"]:
                    # A module re-declares a field only to give it a provider (Bundle's Product.type).
                    existing["provider"] = field["provider"]
                    existing["providerDeclaredIn"] = path
    return records, declared_in


def filled_by(
    record: str, fields: list[dict[str, Any]], raw: dict[str, Any], context: tuple[str, ...], mirror: Path, commit: str
) -> tuple[bool, str]:
    """Whether Adobe's providers fill a declared field, and where the value comes from."""
    name = str(raw["name"])
    module = str(raw["declaredIn"]).split("/", 1)[0]
    override = FILLED.get((record, name))
    if override is not None:
        return override
    if raw["provider"]:
        return True, f"provider `{raw['provider'].rsplit(chr(92), 1)[-1]}` ({raw['provider']})"
    if record == "Product" and name in PRODUCT_EAV_FIELDS:
        return True, f"EAV attribute `{snake(name)}` (ProductAttributeQuery, camel-cased)"
    column = query_column(fields, name, module, mirror, commit)
    if column is not None:
        return True, column
    path = mentioned_in(name, context, module, code_files(mirror, commit))
    if path is not None:
        # The doc shows the provider; the file that spells the key stays in the shape as the evidence.
        if context:
            return True, f"provider `{context[0].rsplit('/', 1)[-1][:-4]}` ({context[0]})\n{path}"
        return True, f"key spelled in `{path}`"
    return False, "no provider, and no query or provider outside et_schema.xml names it"


def expand(
    record: str,
    records: dict[str, list[dict[str, Any]]],
    source: tuple[Path, str],
    used: set[str],
    context: tuple[str, ...],
    stack: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """The fields of ``record``, nested records expanded; ``context`` holds the enclosing providers' files,
    nearest first, where a nested field's key is looked for."""
    out = []
    used.add(record)
    for raw in records[record]:
        field: dict[str, Any] = {"name": raw["name"], "type": raw["type"], "repeated": raw["repeated"]}
        field["filled"], note = filled_by(record, records[record], raw, context, *source)
        field["fillNote"], _, evidence = note.partition("\n")
        if evidence:
            field["evidence"] = evidence
        meaning = MEANINGS.get(f"{record}.{raw['name']}") or MEANINGS.get(raw["name"])
        if meaning:
            field["meaning"] = meaning
        magento = MAGENTO.get(f"{record}.{raw['name']}")
        if magento:
            field["magento"] = magento
        field["declaredIn"] = raw["declaredIn"]
        if raw["type"] in records and raw["type"] not in stack:
            inner = (provider_path(raw["provider"]), *context) if raw["provider"] else context
            field["fields"] = expand(raw["type"], records, source, used, inner, (*stack, record))
        out.append(field)
    return out


def mark_unfilled_subtrees(fields: list[dict[str, Any]], parent_filled: bool = True) -> None:
    """A nested field of a record nobody fills is not filled either."""
    for field in fields:
        if not parent_filled and field.get("filled"):
            field["filled"] = False
            field["fillNote"] = "its parent record is never filled"
        if field.get("fields"):
            mark_unfilled_subtrees(field["fields"], bool(field["filled"]))


def existing_differences(feed: str) -> dict[str, str]:
    path = SHAPES_DIR / f"{feed}.json"
    if not path.exists():
        return {}
    data: dict[str, str] = json.loads(path.read_text("utf-8")).get("differences", {})
    return data


def build_shapes(mirror: Path, commit: str) -> dict[str, dict[str, Any]]:
    records, declared_in = read_records(mirror, commit)
    export = {f["name"]: f for f in records["Export"]}
    out: dict[str, dict[str, Any]] = {}
    for feed, export_field in EXPORT_FIELDS.items():
        record = export[export_field]["type"]
        used: set[str] = set()
        provider = export[export_field]["provider"]
        context = (provider_path(provider),) if provider else ()
        fields = expand(record, records, (mirror, commit), used, context)
        mark_unfilled_subtrees(fields)
        paths = sorted({export[export_field]["declaredIn"], *(p for r in used for p in declared_in[r])})
        out[feed] = {
            "feed": feed,
            "record": record,
            "source": {"repository": REPOSITORY, "commit": commit, "paths": paths},
            "fields": fields,
        }
    for feed, spec in COMMERCE_SHAPES.items():
        out[feed] = {
            "feed": feed,
            "record": spec["record"],
            "source": {
                "repository": COMMERCE_SOURCE["repository"].format(module=spec["module"], doc=spec["doc"]),
                "documented": COMMERCE_SOURCE["documented"].format(doc=spec["doc"]),
            },
            "fields": spec["fields"],
        }
    for feed, shape in out.items():
        shape["differences"] = existing_differences(feed)
    return out


def walk(fields: list[dict[str, Any]], pointer: str = "") -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for field in fields:
        here = f"{pointer}/{field['name']}"
        rows.append((here, field))
        rows.extend(walk(field.get("fields", []), here))
    return rows


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def ours_cell(verdict: shapes.Verdict | None) -> str:
    if verdict is None:
        return "—"
    text = {
        "same": "same",
        "differs": f"differs: {verdict.note}",
        "missing": "**missing**",
        "mistyped": f"**mistyped**: {verdict.note}",
        "extra": "ours only",
        "absent": "absent (Adobe never fills it)",
    }[verdict.status]
    return cell(text)


def render_doc(all_shapes: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Feed fields: Adobe's record shapes against ours",
        "",
        "Generated by `scripts/feed_shapes.py` from `exporters/feeds/shapes/<feed>.json` (Adobe's records, read",
        f"from `{REPOSITORY}` at `{COMMIT}`) and our JSON Schemas (`exporters/feeds/schemas/`).",
        "`tests/exporters/feeds/test_shapes.py` fails on every **missing**, **mistyped** or unlisted ours-only",
        'field; an intended difference is listed with its reason under `"differences"` in the shape file.',
        "",
        "Columns: the field (nested fields as JSON pointers), Adobe's type (`[T]` repeated; a record name is a",
        "nested object), whether Adobe's providers fill it (a declared field nobody fills is never sent),",
        "where Adobe takes it from (provider or query; Magento tables for the Commerce feeds), and ours:",
        "*same* (present with a compatible type), *differs* (intended, with why), **missing**, **mistyped**,",
        "*absent* (Adobe never fills it and neither do we) or *ours only*.",
        "",
        "The *ours* column is a snapshot of the schemas when the file was generated: regenerate with",
        "`.venv/bin/python scripts/feed_shapes.py` (it reads a bare clone of the Adobe repository, made with",
        "`git clone --bare https://github.com/magento/commerce-data-export var/commerce-data-export.git`;",
        "`--baseline REV` also prints the counts for our schemas as of git revision REV).",
        "",
        "## Types and presence",
        "",
        "Every value is cast as Adobe's `DataExporter/Export/Transformer.php` casts the declared type: ID and",
        "String as strings, Int as integers, Float as numbers, Boolean as booleans. Which fields an item",
        "carries follows the same transformer (`exporters/feeds/presence.py`, applied by `FeedSpec.build`",
        "to every item before it is hashed, stored and sent):",
        "",
        "- a top-level field whose value is null is left out, unless Adobe fills it with a provider of its",
        "  own: such a field is always there, null when the provider had nothing (`optionsV2`, `links`, ...);",
        "- the rows of a provider field leave out their null fields too; a record nested in place keeps",
        "  its nulls, unless Adobe declares it `skipNull` (prices' `discounts`/`tierPrices`,",
        "  categoryPermissions' `permission`);",
        "- an empty list, at any depth, is sent as null (the key stays);",
        "- `deleted` and `modifiedAt` are added after the transform and are never null; tombstones are the",
        "  stored minimal payload (only the keys the item had) plus `deleted: true`.",
        "",
        "Our JSON Schemas follow: a field that can be null is not required, and every list may be null.",
        "",
        "Counts: top-level fields, then every field with the nested ones (JSON pointers Adobe fills).",
        "",
        "| feed | Adobe declares | Adobe fills | ours (top level) | ours of Adobe's filled | same type "
        "| all fields Adobe fills | of those, same in ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for feed in shapes.FEEDS:
        c = shapes.counts(feed)
        lines.append(
            f"| [{feed}](#{feed.lower()}) | {c['declared']} | {c['filled']} | {c['ours']} | {c['oursOfFilled']} "
            f"| {c['sameOfFilled']} | {c['filledAll']} | {c['sameOfFilledAll']} |"
        )
    for feed in shapes.FEEDS:
        shape = all_shapes[feed]
        source = shape["source"]
        verdicts = {v.pointer: v for v in shapes.verdicts(feed)}
        lines += ["", f"## {feed}", ""]
        if "commit" in source:
            paths = ", ".join(f"`{p}`" for p in source["paths"])
            lines.append(f"Record `{shape['record']}`: {paths} at `{source['commit'][:12]}`.")
        else:
            lines.append(f"Record `{shape['record']}`: {source['repository']}; written from {source['documented']}.")
        lines += [
            "",
            "| field | Adobe type | meaning | Adobe fills | where Adobe takes it from | ours |",
            "|---|---|---|---|---|---|",
        ]
        declared = dict(walk(shape["fields"]))
        for pointer, field in declared.items():
            where = field.get("magento") or field.get("fillNote") or ""
            filled = "yes" if field.get("filled", True) else "**no**"
            lines.append(
                f"| `{pointer}` | {shapes.adobe_type(field)} | {cell(field.get('meaning', ''))} | {filled} "
                f"| {cell(where)} | {ours_cell(verdicts.get(pointer))} |"
            )
        for pointer, verdict in verdicts.items():
            if pointer not in declared:
                lines.append(f"| `{pointer}` | — | — | — | not declared by Adobe | {ours_cell(verdict)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mirror", type=Path, default=MIRROR, help="bare git dir of magento/commerce-data-export")
    parser.add_argument("--commit", default=COMMIT)
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also print the counts for our schemas as of this git revision of the project (before/after)",
    )
    args = parser.parse_args(argv)
    built = build_shapes(args.mirror, args.commit)
    SHAPES_DIR.mkdir(parents=True, exist_ok=True)
    for feed, shape in built.items():
        (SHAPES_DIR / f"{feed}.json").write_text(json.dumps(shape, indent=2, ensure_ascii=False) + "\n", "utf-8")
    shapes.load_shape.cache_clear()
    DOC.write_text(render_doc(built), "utf-8")
    print(
        "feed: Adobe declares/fills; ours top-level, ours of Adobe's filled, same type; nested: same of filled"
        " [(before: ...)]; problems"
    )
    for feed in shapes.FEEDS:
        now = shapes.counts(feed)
        line = (
            f"{feed}: {now['declared']}/{now['filled']}; {now['ours']}, {now['oursOfFilled']}, {now['sameOfFilled']}"
            f"; nested: {now['sameOfFilledAll']} of {now['filledAll']}"
        )
        if args.baseline:
            text = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{args.baseline}:exporters/feeds/schemas/{feed}.json"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            old = shapes.counts(feed, json.loads(text))
            line += (
                f" (before: {old['ours']}, {old['oursOfFilled']}, {old['sameOfFilled']}"
                f"; nested: {old['sameOfFilledAll']} of {old['filledAll']})"
            )
        print(f"{line}; {len(shapes.problems(feed))} problems")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
