"""The installable web app: manifest, service worker and icons."""
