"""Cheap checks of a model directory before anything heavy is imported: config.json, weights, value types.

Each raises GenoViewInputError naming the file (and line) and what to do, so a damaged model folder is a
message when loaded and a "broken" row when listed. Nothing here imports torch or transformers.
"""
from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import json
from pathlib import Path
from typing import Any

from genoview.core.errors import GenoViewInputError
from genoview.core.models.metadata import json_key_line
from genoview.core.models.registry import MODEL_TYPES, ModelType

CONFIG_FILE = "config.json"
SAFETENSORS = "model.safetensors"
SAFETENSORS_INDEX = "model.safetensors.index.json"
PICKLE_WEIGHTS = "pytorch_model.bin"   # tensors-only pickles, accepted where the row says so (DNABERT)
WEIGHTS_FIX = "copy the weights again (the copy was cut short or damaged) or retrain the model"


def json_line(text: str, key: str) -> int | None:
    """1-based line of the top-level ``"key":`` in a JSON text, for messages."""
    return json_key_line(text, key)


def read_config(directory: Path) -> tuple[dict[str, Any], str]:
    """(config.json as a dict, its text)."""
    path = directory / CONFIG_FILE
    if not path.is_file():
        raise GenoViewInputError(
            "is not a model directory: it has no config.json (a GenoView model is a Hugging Face directory "
            "with config.json and model.safetensors)", directory)
    try:
        text = path.read_text(encoding="utf-8")
        config = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise GenoViewInputError(f"cannot be read ({exc}); copy the model again", path) from exc
    except json.JSONDecodeError as exc:
        raise GenoViewInputError(f"not valid JSON ({exc.msg}); copy the model again or fix the file",
                                 path, exc.lineno) from exc
    if not isinstance(config, dict):
        raise GenoViewInputError("expected a JSON object (a Hugging Face model configuration); copy the model again",
                                 path, 1)
    return config, text


def model_type_of(directory: Path, config: dict[str, Any], text: str) -> str:
    """config.json's ``model_type``, which must be a row of MODEL_TYPES."""
    model_type = config.get("model_type")
    if model_type is None and (directory / "vocab.txt").is_file():
        model_type = "bert"   # early DNABERT downloads leave model_type out; BertConfig's default
    if not isinstance(model_type, str):
        raise GenoViewInputError("has no \"model_type\" naming the architecture (a string such as "
                                 f"{next(iter(MODEL_TYPES))!r}); fix the file or save the model again",
                                 directory / CONFIG_FILE, json_line(text, "model_type"))
    if model_type not in MODEL_TYPES:
        import difflib

        supported = ", ".join(f"{key!r} ({row.architecture})" for key, row in MODEL_TYPES.items())
        near = difflib.get_close_matches(model_type, list(MODEL_TYPES), n=1, cutoff=0.8)   # a typo: say which
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise GenoViewInputError(f"config.json names the architecture {model_type!r}, which GenoView cannot run; "
                                 f"{hint}supported model types: {supported}", directory / CONFIG_FILE,
                                 json_line(text, "model_type"))
    return model_type


# ----------------------------------------------------------------------------------------- config value types
# JSON kinds a config value may take, by the Python type named in a config class
_KINDS = {"int": "integer", "float": "number", "bool": "boolean", "str": "string", "list": "list", "tuple": "list",
          "dict": "object", "None": "null"}
_WORDS = {"integer": "an integer", "number": "a number", "boolean": "true or false", "string": "a string",
          "list": "a list", "object": "an object", "null": "null"}


def _kind(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "list", tuple: "list", dict: "object"}.get(type(value))


def check_config_types(directory: Path, config: dict[str, Any], text: str, kinds: dict[str, frozenset[str]]) -> None:
    """Raise for a config.json value whose JSON kind is not one ``kinds[key]`` allows (an integer is a number)."""
    for key, value in config.items():
        allowed = kinds.get(key)
        kind = _kind(value)
        if not allowed or kind is None or kind in allowed or (kind == "integer" and "number" in allowed):
            continue
        shown = allowed - {"null"} - ({"integer"} if "number" in allowed else set())   # an integer is a number
        expected = " or ".join(_WORDS[k] for k in sorted(shown) or ["null"])
        raise GenoViewInputError(f"\"{key}\" is {json.dumps(value)[:40]}, expected {expected}; fix the value or "
                                 "copy the model again", directory / CONFIG_FILE, json_line(text, key))


def _annotation_kinds(node: ast.AST | None) -> frozenset[str] | None:
    """JSON kinds an annotation such as ``int | list[int] | None`` allows; None when it names anything else."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):   # a string annotation
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.Constant) and node.value is None:
        return frozenset({"null"})
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation_kinds(node.left), _annotation_kinds(node.right)
        return left | right if left is not None and right is not None else None
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name) and node.id in _KINDS:
        return frozenset({_KINDS[node.id]})
    return None


@functools.lru_cache(maxsize=None)
def source_kinds(config_class: str) -> dict[str, frozenset[str]]:
    """JSON kinds of a config class's fields ("package.module:Class"), read from its source without importing it:
    class-level ``name: type = value`` (transformers 5 configs) and ``__init__`` keyword arguments, by their
    annotation, else by a literal default's type. {} when the source cannot be found or parsed."""
    module, _, cls_name = config_class.partition(":")
    parts = module.split(".")
    try:
        spec = importlib.util.find_spec(parts[0])    # a top-level package: located, not imported
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts[1:]).with_suffix(".py")
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return {}
    kinds: dict[str, frozenset[str]] = {}

    def add(name: str, annotation: ast.AST | None, default: ast.AST | None) -> None:
        found = _annotation_kinds(annotation)
        if found is None and default is not None:
            try:
                kind = _kind(ast.literal_eval(default))
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                kind = None
            found = frozenset({kind}) if kind not in (None, "null") else None
        if found:
            kinds[name] = found

    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name == cls_name):
            continue
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                add(item.target.id, item.annotation, item.value)
            elif isinstance(item, ast.FunctionDef) and item.name == "__init__":
                positional = item.args.args[1:]
                defaults = [None] * (len(positional) - len(item.args.defaults)) + list(item.args.defaults)
                for arg, default in zip(positional, defaults):
                    add(arg.arg, arg.annotation, default)
                for arg, default in zip(item.args.kwonlyargs, item.args.kw_defaults):
                    add(arg.arg, arg.annotation, default)
    return kinds


def imported_kinds(model_type: str) -> dict[str, frozenset[str]]:
    """JSON kinds of the transformers config class registered for ``model_type``, from its defaults' types
    (imports transformers; used when loading, for rows that name no ``config_class``)."""
    try:
        from transformers.models.auto.configuration_auto import CONFIG_MAPPING

        config_class = CONFIG_MAPPING[model_type]
    except (ImportError, KeyError):
        return {}
    kinds = {}
    for name, p in inspect.signature(config_class.__init__).parameters.items():
        kind = _kind(p.default) if p.default is not inspect.Parameter.empty else None
        if kind not in (None, "null"):
            kinds[name] = frozenset({kind, "null"})
    return kinds


# ----------------------------------------------------------------------------------------- weights
def check_safetensors(path: Path) -> None:
    """Raise unless ``path`` is a whole safetensors file: its header parses and its size is what the header says."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                raise GenoViewInputError(f"is truncated ({size} bytes, no safetensors header); {WEIGHTS_FIX}", path)
            header_size = int.from_bytes(head, "little")
            if header_size > min(size - 8, 100_000_000):
                raise GenoViewInputError(f"is truncated or not a safetensors file (header of {header_size} bytes "
                                         f"in a {size}-byte file); {WEIGHTS_FIX}", path)
            header = json.loads(fh.read(header_size))
    except OSError as exc:
        raise GenoViewInputError(f"cannot be read ({exc}); {WEIGHTS_FIX}", path) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GenoViewInputError(f"is not a safetensors file (its header is not JSON); {WEIGHTS_FIX}", path) from exc
    try:
        end = max((int(entry["data_offsets"][1]) for key, entry in header.items() if key != "__metadata__"),
                  default=0)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise GenoViewInputError(f"is not a safetensors file (its header lists no tensor offsets); {WEIGHTS_FIX}",
                                 path) from exc
    if 8 + header_size + end != size:
        state = "truncated" if size < 8 + header_size + end else "damaged"
        raise GenoViewInputError(f"is {state}: {size} bytes where its header describes {8 + header_size + end}; "
                                 f"{WEIGHTS_FIX}", path)


def check_weights(directory: Path, row: ModelType) -> None:
    """Raise unless the directory holds whole weights this row may load (safetensors, sharded or not; a
    tensors-only pickle only where ``row.pickle_weights``)."""
    index = directory / SAFETENSORS_INDEX
    if (directory / SAFETENSORS).is_file():
        check_safetensors(directory / SAFETENSORS)
    elif index.is_file():
        try:
            shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise GenoViewInputError("is not a readable safetensors index (expected {\"weight_map\": {...}}); "
                                     "copy the model again", index) from exc
        for shard in shards:
            if not (directory / shard).is_file():
                raise GenoViewInputError(f"names the weight file {shard}, which is missing; copy it next to "
                                         "config.json", index)
            check_safetensors(directory / shard)
    elif (directory / PICKLE_WEIGHTS).is_file():
        if not row.pickle_weights:
            raise GenoViewInputError(
                f"holds only pickled weights ({PICKLE_WEIGHTS}); GenoView never unpickles {row.architecture} models "
                "(a pickle can run code). Convert them to model.safetensors where the model was made: "
                "model.save_pretrained(folder, safe_serialization=True)", directory / PICKLE_WEIGHTS)
    elif not row.weightless:
        raise GenoViewInputError(
            "has no model.safetensors weights; copy the weights next to config.json "
            f"(pickled {PICKLE_WEIGHTS} files are loaded only for k-mer BERT directories, as tensors only)", directory)
