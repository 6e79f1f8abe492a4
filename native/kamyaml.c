/*
 * kam's native YAML reader: libyaml's event parser building plain Python data plus the
 * 1-based (line, column) of every node, the same result as kamtool.yamlread's Python
 * reader without a Python object per event.
 *
 * Positions are kept compactly: one (line, column, size) triple of C ints per node, in
 * document order (a mapping's key, then its value), where size counts the nodes of the
 * subtree. kamtool.yamlread.Document finds a path's node by skipping whole subtrees, so
 * the cost of positions is paid only for the few nodes a finding points at.
 *
 * It takes only the common road. Anything else (an error, a tag, an anchor or alias, a
 * merge key, a second document, a key that is not text, a duplicate key, nesting deeper
 * than KAM_MAX_DEPTH) makes build()
 * return None, and the Python reader, which handles every case, reads the file instead.
 * Plain scalars other than null, booleans, decimal integers, dates and words are resolved
 * by the Python function passed in, so both readers resolve them with the same code.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <string.h>
#include "yaml.h"

typedef struct {
    PyObject *container; /* dict or list, owned */
    PyObject *key;       /* pending mapping key, owned, or NULL */
    int is_map;
    Py_ssize_t node;     /* index of its triple in marks */
} Frame;

typedef struct {
    Frame *frames;
    Py_ssize_t depth, capacity;
    PyObject *data;      /* owned, or NULL */
    int *marks;          /* (line, column, size) per node */
    Py_ssize_t nodes, room;
    PyObject *resolve;
} State;

/* 1 = the Python reader must take over; -1 = a Python error is set */
#define GIVE_UP 1

/* Deeper nesting is refused (kamtool.yamlread.MAX_DEPTH, the same number): the Python
 * reader reports it. Stopping here, as the parser reaches that depth, keeps a hostile
 * 20,000-deep flow mapping from costing libyaml's scanner seconds. */
#define KAM_MAX_DEPTH 100

/* Record a node's position; its size is 1 until its collection ends. */
static Py_ssize_t
mark_node(State *st, yaml_mark_t mark)
{
    if (st->nodes == st->room) {
        Py_ssize_t room = st->room ? st->room * 2 : 256;
        int *marks = PyMem_Realloc(st->marks, (size_t)room * 3 * sizeof(int));
        if (!marks) {
            PyErr_NoMemory();
            return -1;
        }
        st->marks = marks;
        st->room = room;
    }
    st->marks[3 * st->nodes] = (int)mark.line + 1;
    st->marks[3 * st->nodes + 1] = (int)mark.column + 1;
    st->marks[3 * st->nodes + 2] = 1;
    return st->nodes++;
}

/* Place a finished node (borrowed) where the parser is. */
static int
add(State *st, PyObject *value)
{
    Frame *top;
    int rc;

    if (st->depth == 0) {
        if (st->data)
            return GIVE_UP;
        Py_INCREF(value);
        st->data = value;
        return 0;
    }
    top = &st->frames[st->depth - 1];
    if (!top->is_map)
        return PyList_Append(top->container, value);
    if (top->key == NULL) {
        /* a key: only text, not "<<" (a merge key: the Python reader applies it), and not
         * seen before in this mapping */
        if (!PyUnicode_CheckExact(value) || PyUnicode_CompareWithASCIIString(value, "<<") == 0)
            return GIVE_UP;
        rc = PyDict_Contains(top->container, value);
        if (rc != 0)
            return rc < 0 ? -1 : GIVE_UP;
        Py_INCREF(value);
        top->key = value;
        return 0;
    }
    rc = PyDict_SetItem(top->container, top->key, value);
    Py_CLEAR(top->key);
    return rc;
}

static int
push(State *st, int is_map, yaml_mark_t mark)
{
    Frame *frame;

    if (st->depth == 0 && st->data)
        return GIVE_UP;
    if (st->depth >= KAM_MAX_DEPTH)
        return GIVE_UP;
    if (st->depth > 0 && st->frames[st->depth - 1].is_map && st->frames[st->depth - 1].key == NULL)
        return GIVE_UP; /* a mapping or sequence as a key */
    if (st->depth == st->capacity) {
        Py_ssize_t capacity = st->capacity ? st->capacity * 2 : 16;
        Frame *frames = PyMem_Realloc(st->frames, (size_t)capacity * sizeof(Frame));
        if (!frames) {
            PyErr_NoMemory();
            return -1;
        }
        st->frames = frames;
        st->capacity = capacity;
    }
    frame = &st->frames[st->depth];
    frame->node = mark_node(st, mark);
    if (frame->node < 0)
        return -1;
    frame->container = is_map ? PyDict_New() : PyList_New(0);
    if (!frame->container)
        return -1;
    frame->key = NULL;
    frame->is_map = is_map;
    st->depth++;
    return 0;
}

static int
pop(State *st)
{
    Frame frame = st->frames[--st->depth];
    int rc = 0;
    st->marks[3 * frame.node + 2] = (int)(st->nodes - frame.node);
    if (frame.key != NULL)
        rc = GIVE_UP; /* cannot happen with a well-formed event stream */
    if (rc == 0)
        rc = add(st, frame.container);
    Py_DECREF(frame.container);
    Py_XDECREF(frame.key);
    return rc;
}

static const char FIRST_CHARS[] = "-+0123456789.~nNtTfF";

static int
is_word(const char *text, size_t length, const char *a, const char *b, const char *c)
{
    size_t n = strlen(a);
    return length == n && (memcmp(text, a, n) == 0 || memcmp(text, b, n) == 0 || memcmp(text, c, n) == 0);
}

static int
digits(const char *text, size_t length)
{
    size_t i;
    for (i = 0; i < length; i++)
        if (text[i] < '0' || text[i] > '9')
            return 0;
    return length > 0;
}

/* The frequent plain scalars, resolved exactly as yamlread.resolve_plain does: null, bools,
 * decimal integers, dates (YYYY-MM-DD) and words. NULL without an error set: ask Python. */
static PyObject *
resolve_common(const char *text, size_t length, PyObject *value)
{
    char first = length ? text[0] : 0;

    if (length == 0 || (length == 1 && first == '~') || is_word(text, length, "null", "Null", "NULL"))
        Py_RETURN_NONE;
    if (is_word(text, length, "true", "True", "TRUE"))
        Py_RETURN_TRUE;
    if (is_word(text, length, "false", "False", "FALSE"))
        Py_RETURN_FALSE;
    if (first == 'n' || first == 'N' || first == 't' || first == 'T' || first == 'f' || first == 'F') {
        Py_INCREF(value);
        return value; /* a word: no number or date starts with a letter */
    }
    {
        size_t sign = (first == '-' || first == '+') ? 1 : 0;
        if (length - sign <= 18 && digits(text + sign, length - sign)) {
            long long n = 0;
            size_t i;
            for (i = sign; i < length; i++)
                n = n * 10 + (text[i] - '0');
            return PyLong_FromLongLong(first == '-' ? -n : n);
        }
    }
    if (length == 10 && digits(text, 4) && text[4] == '-' && digits(text + 5, 2) && text[7] == '-' &&
        digits(text + 8, 2)) {
        int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
        int month = (text[5] - '0') * 10 + (text[6] - '0');
        int day = (text[8] - '0') * 10 + (text[9] - '0');
        PyObject *date = PyDate_FromDate(year, month, day);
        if (date == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear(); /* not a real date (2026-02-30): it stays text */
            Py_INCREF(value);
            return value;
        }
        return date;
    }
    return NULL;
}

/* Mapping keys repeat ("id", "name", "roles"... in every stakeholder of every file): the
 * last text seen in each of 128 slots is reused, which spares an allocation and keeps the
 * string's hash, computed once, for every dictionary that holds it. */
#define KEY_SLOTS 128
static PyObject *key_cache[KEY_SLOTS];

static PyObject *
cached_key(const char *text, size_t length)
{
    unsigned int h = 2166136261u;
    size_t i;
    PyObject **slot, *value;

    for (i = 0; i < length; i++)
        h = (h ^ (unsigned char)text[i]) * 16777619u;
    slot = &key_cache[h % KEY_SLOTS];
    if (*slot != NULL) {
        Py_ssize_t n;
        const char *utf8 = PyUnicode_AsUTF8AndSize(*slot, &n);
        if (utf8 == NULL)
            PyErr_Clear();
        else if ((size_t)n == length && memcmp(utf8, text, length) == 0) {
            Py_INCREF(*slot);
            return *slot;
        }
    }
    value = PyUnicode_DecodeUTF8(text, (Py_ssize_t)length, "strict");
    if (value != NULL) {
        Py_INCREF(value);
        Py_XSETREF(*slot, value);
    }
    return value;
}

static PyObject *
scalar(State *st, yaml_event_t *event)
{
    const char *text = (const char *)event->data.scalar.value;
    size_t length = event->data.scalar.length;
    int plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && event->data.scalar.plain_implicit;
    PyObject *value, *resolved;

    if (st->depth > 0 && st->frames[st->depth - 1].is_map && st->frames[st->depth - 1].key == NULL &&
        length > 0 && length <= 48 && (!plain || memchr(FIRST_CHARS, text[0], sizeof(FIRST_CHARS) - 1) == NULL))
        return cached_key(text, length); /* a key that stays text */
    value = PyUnicode_DecodeUTF8(text, (Py_ssize_t)length, "strict");
    if (!value)
        return NULL;
    if (!plain)
        return value;
    if (length > 0 && memchr(FIRST_CHARS, text[0], sizeof(FIRST_CHARS) - 1) == NULL)
        return value;
    resolved = resolve_common(text, length, value);
    if (resolved == NULL && !PyErr_Occurred())
        resolved = PyObject_CallOneArg(st->resolve, value);
    Py_DECREF(value);
    return resolved;
}

static void
clear(State *st)
{
    while (st->depth > 0) {
        Frame *frame = &st->frames[--st->depth];
        Py_DECREF(frame->container);
        Py_XDECREF(frame->key);
    }
    PyMem_Free(st->frames);
    PyMem_Free(st->marks);
    Py_XDECREF(st->data);
}

static PyObject *
build(PyObject *module, PyObject *args)
{
    const char *text;
    Py_ssize_t size;
    PyObject *resolve;
    yaml_parser_t parser;
    yaml_event_t event;
    State st;
    int rc = 0, done = 0, documents = 0;

    if (!PyArg_ParseTuple(args, "s#O", &text, &size, &resolve))
        return NULL;
    memset(&st, 0, sizeof(st));
    st.resolve = resolve;
    if (!yaml_parser_initialize(&parser))
        return PyErr_NoMemory();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, (size_t)size);

    while (rc == 0 && !done) {
        if (!yaml_parser_parse(&parser, &event)) {
            rc = GIVE_UP; /* the Python reader reports the error at its position */
            break;
        }
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                rc = GIVE_UP;
            break;
        case YAML_ALIAS_EVENT:
            rc = GIVE_UP;
            break;
        case YAML_SCALAR_EVENT:
            if (event.data.scalar.anchor || event.data.scalar.tag)
                rc = GIVE_UP;
            else if (mark_node(&st, event.start_mark) < 0)
                rc = -1;
            else {
                PyObject *value = scalar(&st, &event);
                if (!value)
                    rc = -1;
                else {
                    rc = add(&st, value);
                    Py_DECREF(value);
                }
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            int is_map = event.type == YAML_MAPPING_START_EVENT;
            int unusual = is_map ? event.data.mapping_start.anchor || event.data.mapping_start.tag
                                 : event.data.sequence_start.anchor || event.data.sequence_start.tag;
            rc = unusual ? GIVE_UP : push(&st, is_map, event.start_mark);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = st.depth > 0 ? pop(&st) : GIVE_UP;
            break;
        default:
            break;
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);

    if (rc != 0) {
        clear(&st);
        if (rc < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    {
        PyObject *marks = PyBytes_FromStringAndSize(
            (const char *)st.marks, (Py_ssize_t)(st.nodes * 3 * (Py_ssize_t)sizeof(int)));
        PyObject *out = marks ? Py_BuildValue("(ON)", st.data ? st.data : Py_None, marks) : NULL;
        clear(&st);
        return out;
    }
}

/* Child node indices of container `index` as a bytes object of C ints (the table a list
 * lookup indexes directly), built once per container and kept in `tables`. */
static PyObject *
child_table(PyObject *tables, const int *marks, Py_ssize_t nodes, Py_ssize_t index, int mapping)
{
    PyObject *key = PyLong_FromSsize_t(index), *table;
    Py_ssize_t end, j, count = 0;
    int *out;

    if (key == NULL)
        return NULL;
    table = PyDict_GetItemWithError(tables, key);
    if (table != NULL || PyErr_Occurred()) {
        Py_DECREF(key);
        return table; /* borrowed */
    }
    end = index + marks[3 * index + 2];
    if (end > nodes)
        end = nodes;
    table = PyBytes_FromStringAndSize(NULL, (end - index) * (Py_ssize_t)sizeof(int));
    if (table == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    out = (int *)PyBytes_AS_STRING(table);
    for (j = index + 1; j < end;) {
        out[count++] = (int)j;
        if (mapping)
            j++;
        if (j >= end)
            break;
        j += marks[3 * j + 2] > 0 ? marks[3 * j + 2] : 1;
    }
    if (_PyBytes_Resize(&table, count * (Py_ssize_t)sizeof(int)) < 0 ||
        PyDict_SetItem(tables, key, table) < 0) {
        Py_XDECREF(table);
        Py_DECREF(key);
        return NULL;
    }
    Py_DECREF(key);
    Py_DECREF(table); /* the dictionary holds it */
    return table;
}

/* A large mapping's key -> key node index, built once and kept in `tables` under the
 * negative key -(index + 1) (list tables use the container's index itself). */
static PyObject *
key_table(PyObject *tables, PyObject *mapping, const int *marks, Py_ssize_t nodes, Py_ssize_t index)
{
    PyObject *slot = PyLong_FromSsize_t(-(index + 1)), *table, *k, *v;
    Py_ssize_t pos = 0, j = index + 1;

    if (slot == NULL)
        return NULL;
    table = PyDict_GetItemWithError(tables, slot);
    if (table != NULL || PyErr_Occurred()) {
        Py_DECREF(slot);
        return table; /* borrowed */
    }
    table = PyDict_New();
    if (table == NULL)
        goto fail;
    while (PyDict_Next(mapping, &pos, &k, &v) && j < nodes) {
        PyObject *n = PyLong_FromSsize_t(j);
        if (n == NULL || PyDict_SetItem(table, k, n) < 0) {
            Py_XDECREF(n);
            goto fail;
        }
        Py_DECREF(n);
        if (j + 1 >= nodes)
            break;
        j += 1 + (marks[3 * (j + 1) + 2] > 0 ? marks[3 * (j + 1) + 2] : 1);
    }
    if (PyDict_SetItem(tables, slot, table) < 0)
        goto fail;
    Py_DECREF(slot);
    Py_DECREF(table); /* the dictionary holds it */
    return table;
fail:
    Py_XDECREF(table);
    Py_DECREF(slot);
    return NULL;
}

/* position(data, marks, tables, path, key) -> (line, column) of the node at `path` (its key
 * when `key` is true and it is a mapping's entry), or None when the path is not there.
 * One call per finding: a mapping's entry is found by scanning its keys (a handful in a
 * kam file; past 16 keys a key -> index table is built once and kept in `tables`), a list
 * item by indexing the list's child table (built once). Nothing walks the siblings. */
static PyObject *
position(PyObject *module, PyObject *args)
{
    PyObject *data, *tables, *path, *node, *out = NULL;
    Py_buffer buffer;
    int want_key;
    const int *marks;
    Py_ssize_t nodes, index = 0, key_index = -1, depth, d;

    if (!PyArg_ParseTuple(args, "Oy*O!O!p", &data, &buffer, &PyDict_Type, &tables, &PyTuple_Type,
                          &path, &want_key))
        return NULL;
    marks = (const int *)buffer.buf;
    nodes = buffer.len / (Py_ssize_t)(3 * sizeof(int));
    node = data;
    depth = PyTuple_GET_SIZE(path);
    if (nodes == 0)
        goto missing;
    for (d = 0; d < depth; d++) {
        PyObject *part = PyTuple_GET_ITEM(path, d);
        if (PyDict_CheckExact(node)) {
            PyObject *value;
            if (!PyUnicode_CheckExact(part))
                goto missing;
            value = PyDict_GetItemWithError(node, part);
            if (value == NULL) {
                if (PyErr_Occurred())
                    goto done;
                goto missing;
            }
            if (PyDict_GET_SIZE(node) > 16) {
                PyObject *table = key_table(tables, node, marks, nodes, index), *found;
                if (table == NULL)
                    goto done;
                found = PyDict_GetItemWithError(table, part);
                if (found == NULL) {
                    if (PyErr_Occurred())
                        goto done;
                    goto missing;
                }
                key_index = PyLong_AsSsize_t(found);
            } else {
                Py_ssize_t pos = 0, j = index + 1;
                PyObject *k, *v;
                int found = 0;
                while (PyDict_Next(node, &pos, &k, &v)) {
                    if (v == value && (k == part || PyUnicode_Compare(k, part) == 0)) {
                        found = 1;
                        break;
                    }
                    if (j + 1 >= nodes)
                        goto missing;
                    j += 1 + (marks[3 * (j + 1) + 2] > 0 ? marks[3 * (j + 1) + 2] : 1);
                }
                if (!found)
                    goto missing;
                key_index = j;
            }
            index = key_index + 1;
            node = value;
        } else if (PyList_CheckExact(node)) {
            Py_ssize_t i;
            PyObject *table;
            if (!PyLong_CheckExact(part))
                goto missing;
            i = PyLong_AsSsize_t(part);
            if (i == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                goto missing;
            }
            if (i < 0 || i >= PyList_GET_SIZE(node))
                goto missing;
            table = child_table(tables, marks, nodes, index, 0);
            if (table == NULL)
                goto done;
            if (i >= PyBytes_GET_SIZE(table) / (Py_ssize_t)sizeof(int))
                goto missing;
            index = ((const int *)PyBytes_AS_STRING(table))[i];
            key_index = -1;
            node = PyList_GET_ITEM(node, i);
        } else
            goto missing;
        if (index >= nodes)
            goto missing;
    }
    if (want_key && key_index >= 0)
        index = key_index;
    out = Py_BuildValue("(ii)", marks[3 * index], marks[3 * index + 1]);
    goto done;
missing:
    Py_INCREF(Py_None);
    out = Py_None;
done:
    PyBuffer_Release(&buffer);
    return out;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(text, resolve_plain) -> (data, marks), or None when the Python reader must read "
     "this text; marks: native int triples (line, column, subtree size) in document order"},
    {"position", position, METH_VARARGS,
     "position(data, marks, tables, path, key) -> (line, column) of the node at path (its key "
     "if key is true), or None; tables: a dict the caller keeps per document"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kamyaml", "kam's native YAML reader (libyaml)", -1, methods,
};

PyMODINIT_FUNC
PyInit__kamyaml(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    return PyModule_Create(&module);
}
