PLUGIN = {"id": "notspec"}
