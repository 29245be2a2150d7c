"""Cached access to the data package, and the friendly error a page shows when a file is broken."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.catalogue import Catalogue, DataError, data_dir_from_env


@st.cache_resource(show_spinner=False)
def _catalogue(data_dir: str) -> Catalogue:
    return Catalogue(data_dir)


def catalogue() -> Catalogue:
    """The process-wide catalogue of the configured data folder."""
    return _catalogue(str(data_dir_from_env()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _load(name: str, data_dir: str) -> pd.DataFrame:
    # Validation happens once per process and file version; a DataError is not cached, so a fixed file
    # is picked up on the next rerun. A resource, not data: every session shares one frame instead of
    # unpickling a copy on each call. Safe because no page writes into a loaded frame in place (pandas 3
    # copy-on-write keeps derived frames apart); treat the result as read-only.
    return Catalogue(data_dir).load(name)


def load(name: str) -> pd.DataFrame:
    """The validated resource (raises DataError)."""
    return _load(name, str(data_dir_from_env()))


def show_data_error(error: DataError) -> None:
    """A data editor's message: what is wrong, where, and how to fix it; no traceback."""
    from components.i18n import tr

    _ = tr()
    st.error(f"**{_('data.error_title')}**\n\n{error.message}\n\n{_('data.error_rest')}", icon=":material/report:")


def need(*names: str) -> list[pd.DataFrame] | None:
    """Load resources for a view; on a data problem show it and return None so the view can skip itself."""
    try:
        return [load(name) for name in names]
    except DataError as error:
        show_data_error(error)
        return None
