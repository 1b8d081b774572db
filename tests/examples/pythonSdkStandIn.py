"""Runs a Python Pulumi program against stand-ins of `pulumi` and of the SDK `pulumi package add` generates from the
entra-sspr schema, and prints what it registered as JSON. The stand-in SDK is made from the schema as Pulumi's
Python code generator names things (pkg/codegen/python in pulumi/pulumi): a named enum type is an Enum whose members
are its values in UPPER_SNAKE_CASE, an object type `X` is `XArgs` taking its properties in snake_case, and a
component takes its input properties in snake_case. An unknown argument, a missing required one, or an enum member
the schema does not have fails as it would with the real SDK.

usage: python3 pythonSdkStandIn.py <schema.json> <program folder> <stack config as JSON> <project name>
"""

import enum
import json
import re
import runpy
import sys
import types

schema_file, program_folder, stack_config, project = sys.argv[1:5]
schema = json.load(open(schema_file))
config = json.loads(stack_config)


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, ArgsBase):
        return {key: plain(inner) for key, inner in value.values.items()}
    if isinstance(value, (list, tuple)):
        return [plain(inner) for inner in value]
    if isinstance(value, dict):
        return {key: plain(inner) for key, inner in value.items()}
    return value


class ArgsBase:
    def __init__(self, type_name, properties, required, kwargs):
        self.values = {}
        for key, value in kwargs.items():
            if camel(key) not in properties:
                raise TypeError(f"{type_name}() got an unexpected keyword argument '{key}'")
            if value is not None:
                self.values[camel(key)] = value
        missing = [snake(key) for key in required if key not in self.values]
        if missing:
            raise TypeError(f"{type_name}() missing required arguments: {', '.join(missing)}")


sdk = types.ModuleType("pulumi_entra_sspr")
registered = []
for token, spec in schema["types"].items():
    name = token.split(":")[-1]
    if "enum" in spec:
        members = {snake(member["value"]).upper(): member["value"] for member in spec["enum"]}
        setattr(sdk, name, enum.Enum(name, members, type=str))
    else:
        def make(name=name, spec=spec):
            def __init__(self, **kwargs):
                ArgsBase.__init__(self, f"{name}Args", spec.get("properties", {}), spec.get("required", []), kwargs)
            return type(f"{name}Args", (ArgsBase,), {"__init__": __init__})
        setattr(sdk, f"{name}Args", make())

for token, spec in schema["resources"].items():
    name = token.split(":")[-1]

    def make(token=token, name=name, spec=spec):
        def __init__(self, resource_name, opts=None, **kwargs):
            args = ArgsBase(name, spec.get("inputProperties", {}), spec.get("requiredInputs", []), kwargs)
            registered.append({"type": token, "name": resource_name, "properties": plain(args.values)})
            for output in spec.get("properties", {}):
                setattr(self, snake(output), f"<output {name}.{output}>")
        return type(name, (), {"__init__": __init__})

    setattr(sdk, name, make())

pulumi = types.ModuleType("pulumi")
exported = {}


class Config:
    def __init__(self, name=None):
        self.namespace = name or project

    def get(self, key):
        return config.get(key if ":" in key else f"{self.namespace}:{key}")

    def require(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(f"Missing required configuration variable '{self.namespace}:{key}'")
        return value


pulumi.Config = Config
pulumi.export = lambda name, value: exported.__setitem__(name, value)
sys.modules["pulumi"] = pulumi
sys.modules["pulumi_entra_sspr"] = sdk

runpy.run_path(f"{program_folder}/__main__.py", run_name="__main__")
print(json.dumps({"registered": registered, "exported": exported}))
