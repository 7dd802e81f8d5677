"""Extension singletons, bound to an app by ``create_app`` via ``init_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from mediahub.core.numbers import LocalisedBabel
from mediahub.core.privacy import client_key

# Stable constraint names, so Alembic can alter tables on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MediaHubApi(Api):
    """flask-smorest's Api without its app-wide JSON error handler: our own
    handler answers JSON under /api/ and HTML pages everywhere else."""

    def _register_error_handlers(self) -> None:
        pass


db = SQLAlchemy(model_class=Base)

# The base class of every model. Flask-SQLAlchemy makes ``db.Model`` at run
# time; type checkers see the declarative base it is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = LocalisedBabel()  # numbers in messages written per language
# Keys are keyed hashes of the client address: raw IPs are never stored, not
# even in the limiter's storage.
limiter = Limiter(key_func=client_key, default_limits=[])
api = MediaHubApi()
