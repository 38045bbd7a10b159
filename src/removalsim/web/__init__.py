"""A live explorer: a web app and an HTTP API over the simulator (`removalsim serve`).

See `app.create_app`; runs go through the experiments stack (`service`).
"""
