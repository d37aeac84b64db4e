"""The project's moto server: moto's own `moto_server`, with one repair.

moto's introspection endpoint, GET /moto-api/data.json, serialises every model instance moto ever
created. It skips attributes that raise TypeError, AttributeError or ValueError, but an S3 object
whose bucket was deleted raises moto's own MissingBucket, and the whole endpoint answers 500 from
then on. The e2e suite reads the e-mails SES accepted from that endpoint, on one moto shared by
every suite, so the repair skips any attribute that fails to read, as moto means to.
"""
import json
import sys

from moto.core.model_instances import model_data
from moto.moto_api._internal.responses import MotoAPIResponse
from moto.server import main


def tolerant_model_data(self, request, full_url, headers):
    results = {}
    for service in sorted(model_data):
        models = model_data[service]
        results[service] = {}
        for name in sorted(models):
            results[service][name] = []
            for instance in models[name].instances_tracked:
                fields = {}
                for attr in dir(instance):
                    if attr.startswith("_"):
                        continue
                    try:
                        value = getattr(instance, attr)
                        json.dumps(value)
                    except Exception:  # noqa: BLE001 - whatever a model property raises
                        continue
                    fields[attr] = value
                results[service][name].append(fields)
    return 200, {"Content-Type": "application/javascript"}, json.dumps(results)


MotoAPIResponse.model_data = tolerant_model_data

if __name__ == "__main__":
    sys.exit(main())
