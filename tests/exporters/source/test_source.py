"""Opening a source database: one clear line when it is unreachable or not Magento."""

from __future__ import annotations

import pytest

from exporters.sample_data import generate
from exporters.source import MagentoSource, NotAMagentoDatabase, SourceUnavailable


def test_an_unreachable_server_names_the_url_without_its_password() -> None:
    source = MagentoSource("mysql://shop:s3cret@127.0.0.1:1/magento")
    with pytest.raises(SourceUnavailable) as raised:
        source.check()
    message = str(raised.value)
    assert message.startswith("cannot reach the Magento database at mysql://shop:***@127.0.0.1:1/magento: ")
    assert "s3cret" not in message
    assert "\n" not in message
    assert message.endswith("Check SAAS_EXPORT_SOURCE_DB and that the server is running.")


@pytest.mark.parametrize("kind", ["sqlite", "mariadb", "postgres"])
def test_a_database_without_magento_tables_lists_what_is_missing(make_db, kind: str) -> None:
    url = make_db(kind)
    with pytest.raises(NotAMagentoDatabase) as raised:
        MagentoSource(url).check()
    assert "is not a Magento 2.4 catalog database: missing table(s) store, store_website, store_group, " in str(
        raised.value
    )
    assert "saas-export sample-data" in str(raised.value)


def test_scopes_leave_out_the_admin_store(luma_url: str) -> None:
    scopes = MagentoSource(luma_url).scopes
    assert [
        (v.store_id, v.code, v.website_code, v.group_code, v.root_category_id) for v in scopes.store_views.values()
    ] == [(1, "default", "base", "main_website_store", 2)]
    assert MagentoSource(luma_url).media_base_url(1) == "https://luma.example.com/media/"
    assert MagentoSource(luma_url).edition.name == "opensource"


@pytest.mark.parametrize("edition", ["opensource", "commerce"])
def test_the_edition_is_told_by_row_id_on_the_product_entity(make_db, edition: str) -> None:
    # given a sample catalog of either edition in PostgreSQL
    url = make_db("postgres")
    generate(url, "small", products=20, edition=edition)
    # when the source is opened, then it reads the edition from the product entity table
    source = MagentoSource(url)
    assert source.edition.name == edition
    assert source.edition.staged is (edition == "commerce")
