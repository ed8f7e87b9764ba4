/* yaml2json.c — build tool: converts docs/openapi.yaml (plain YAML: no anchors, no tags) into
 * a C source holding the JSON text, served at /api/v1/openapi.json.
 * usage: yaml2json IN.yaml OUT.c  (or OUT.json with --json) */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static json_t *scalar(yaml_event_t *e) {
    const char *v = (const char *)e->data.scalar.value;
    if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return json_string(v);
    if (!strcmp(v, "true")) return json_true();
    if (!strcmp(v, "false")) return json_false();
    if (!strcmp(v, "null") || !strcmp(v, "~") || !*v) return json_null();
    char *end;
    long long i = strtoll(v, &end, 10);
    if (*end == 0 && end != v) return json_integer(i);
    double d = strtod(v, &end);
    if (*end == 0 && end != v) return json_real(d);
    return json_string(v);
}

static json_t *parse_node(yaml_parser_t *p, yaml_event_t *first);

static json_t *parse_next(yaml_parser_t *p) {
    yaml_event_t e;
    if (!yaml_parser_parse(p, &e)) return NULL;
    json_t *j = parse_node(p, &e);
    return j;
}

static json_t *parse_node(yaml_parser_t *p, yaml_event_t *e) {
    json_t *j = NULL;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        j = scalar(e);
        break;
    case YAML_SEQUENCE_START_EVENT:
        j = json_array();
        for (;;) {
            yaml_event_t c;
            if (!yaml_parser_parse(p, &c)) return NULL;
            if (c.type == YAML_SEQUENCE_END_EVENT) {
                yaml_event_delete(&c);
                break;
            }
            json_t *v = parse_node(p, &c);
            if (!v) return NULL;
            json_array_append_new(j, v);
        }
        break;
    case YAML_MAPPING_START_EVENT:
        j = json_object();
        for (;;) {
            yaml_event_t k;
            if (!yaml_parser_parse(p, &k)) return NULL;
            if (k.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&k);
                break;
            }
            if (k.type != YAML_SCALAR_EVENT) {
                fprintf(stderr, "yaml2json: only scalar keys are supported\n");
                return NULL;
            }
            char *key = strdup((const char *)k.data.scalar.value);
            yaml_event_delete(&k);
            json_t *v = parse_next(p);
            if (!v) return NULL;
            json_object_set_new(j, key, v);
            free(key);
        }
        break;
    case YAML_ALIAS_EVENT:
        fprintf(stderr, "yaml2json: anchors/aliases are not supported\n");
        break;
    default:
        break;
    }
    yaml_event_delete(e);
    return j;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: yaml2json IN.yaml OUT.c [--json]\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, in);
    json_t *doc = NULL;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "yaml2json: %s:%zu: %s\n", argv[1], p.problem_mark.line + 1,
                    p.problem ? p.problem : "parse error");
            return 1;
        }
        if (e.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&e);
            break;
        }
        if (e.type == YAML_MAPPING_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT) {
            doc = parse_node(&p, &e);
            if (!doc) return 1;
        } else {
            yaml_event_delete(&e);
        }
    }
    yaml_parser_delete(&p);
    fclose(in);
    if (!doc) {
        fprintf(stderr, "yaml2json: empty document\n");
        return 1;
    }
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    FILE *out = fopen(argv[2], "w");
    if (!out) return 1;
    if (argc > 3 && !strcmp(argv[3], "--json")) {
        fputs(text, out);
    } else {
        fprintf(out, "/* generated from docs/openapi.yaml by tools/yaml2json — do not edit */\n"
                     "#include <stddef.h>\nconst char openapi_json[] = {");
        size_t n = strlen(text);
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%s%u", i ? (i % 32 ? "," : ",\n") : "\n", (unsigned char)text[i]);
        fprintf(out, "%s0};\nconst size_t openapi_json_len = %zu;\n", n ? "," : "", n);
    }
    free(text);
    json_decref(doc);
    return fclose(out) == 0 ? 0 : 1;
}
