"""Drives Cairn with the official Elasticsearch Python client, as a Python app or Logstash-like shipper would.

Usage: es_python_client.py URL COUNT. Prints one JSON line with what the client saw.
"""

import json
import sys

from elasticsearch import Elasticsearch, helpers

url, count = sys.argv[1], int(sys.argv[2])
es = Elasticsearch(url, request_timeout=60)
info = es.info()
es.indices.put_index_template(name="pylogs", index_patterns=["pylogs-*"], template={"settings": {}})
actions = (
    {
        "_op_type": "create",
        "_index": "pylogs-2024.05.01",
        "_source": {
            "message": f"python event {i}",
            "levelname": "ERROR" if i % 4 == 0 else "INFO",
            "service": {"name": "py-worker"},
            "took_ms": i % 100,
        },
    }
    for i in range(count)
)
ok, errors = helpers.bulk(es, actions, chunk_size=1000, raise_on_error=False)
es.indices.refresh(index="pylogs-*")
single = es.index(index="pylogs-2024.05.01", document={"message": "single"}, refresh="wait_for")
print(
    json.dumps(
        {
            "version": info["version"]["number"],
            "ok": ok,
            "errors": len(errors),
            "single": single["result"],
            "template": es.indices.exists_index_template(name="pylogs").body,
        }
    )
)
