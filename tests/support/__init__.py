"""Helpers shared by the test packages (the ``conftest.py`` files hold only fixtures and hooks).

- ``paths``: the repository and the virtualenv's ``bin`` folder.
- ``databases``: throw-away databases on the real servers (URLs overridable by environment).
- ``luma``: the real Magento 2.4.7 Luma catalog, loaded into MariaDB.
- ``catalog``: a hand-built Magento catalog written row by row.
- ``hand_catalog``: the products-feed hand catalog and its constants.
- ``feeds``: building a feed as the exporter does, and the values its items carry.
- ``items``: keying feed items, what a catalog should yield, what a target wrote.
- ``cli``: the ``saas-export`` (and ``celery``) command line run as a subprocess.
- ``cluster``: real ``celery worker`` processes on RabbitMQ and Redis.
- ``waiting``: ``eventually``, the one polling helper, which fails the test when time runs out.
"""
