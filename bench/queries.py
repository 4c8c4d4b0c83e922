"""The benchmark's questions, asked of both APIs with the same fields and page sizes.

Oppvekstgraf's queries follow `schema.graphql`; PostGraphile v4 names its fields after tables and foreign
keys (`municipalityByNumber`, `planOwnersByMunicipalityId`, …) and reaches many-to-many relations through
the link tables' rows (`measureUnitsByMeasureId { nodes { role unitByUnitId { … } } }`). Both ask for the
same scalar fields of the same rows, so a response of either holds the same number of scalars (prepare
checks this on samples).
"""

PAGE = 25

OURS = {
    "small_list": """query SmallList($county: String!) {
  municipalities(first: 10, filter: {county: $county}, orderBy: NAME_ASC) {
    nodes { number name county }
  }
}""",
    "nested_tree": f"""query NestedTree($number: String!) {{
  municipality(number: $number) {{
    number name
    plans(first: {PAGE}) {{
      nodes {{
        title kind
        measures(first: {PAGE}) {{
          nodes {{
            number title
            units(first: {PAGE}) {{ edges {{ role node {{ name kind }} }} }}
            legalReferences(first: {PAGE}) {{ nodes {{ section paragraph heading }} }}
          }}
        }}
      }}
    }}
  }}
}}""",
    "backlink": f"""query Backlink($id: ID!) {{
  legalReference(id: $id) {{
    section paragraph
    measures(first: {PAGE}) {{
      totalCount
      nodes {{ title municipality {{ number name }} }}
    }}
  }}
}}""",
    "node": """query Node($id: ID!) {
  node(id: $id) { ... on Measure { title number frequency } }
}""",
}

POSTGRAPHILE = {
    "small_list": """query SmallList($county: String!) {
  allMunicipalities(first: 10, condition: {county: $county}, orderBy: NAME_ASC) {
    nodes { number name county }
  }
}""",
    "nested_tree": f"""query NestedTree($number: String!) {{
  municipalityByNumber(number: $number) {{
    number name
    planOwnersByMunicipalityId(first: {PAGE}) {{
      nodes {{
        planByPlanId {{
          title kind
          measuresByPlanId(first: {PAGE}, orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) {{
            nodes {{
              number title
              measureUnitsByMeasureId(first: {PAGE}, orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) {{ nodes {{ role unitByUnitId {{ name kind }} }} }}
              measureLegalReferencesByMeasureId(first: {PAGE}, orderBy: [POSITION_ASC, PRIMARY_KEY_ASC]) {{
                nodes {{ legalReferenceByLegalReferenceId {{ section paragraph heading }} }}
              }}
            }}
          }}
        }}
      }}
    }}
  }}
}}""",
    "backlink": f"""query Backlink($id: UUID!) {{
  legalReferenceById(id: $id) {{
    section paragraph
    measureLegalReferencesByLegalReferenceId(first: {PAGE}) {{
      totalCount
      nodes {{ measureByMeasureId {{ title municipalityByMunicipalityId {{ number name }} }} }}
    }}
  }}
}}""",
    "node": """query Node($id: ID!) {
  node(nodeId: $id) { ... on Measure { title number frequency } }
}""",
}

# The mixed read load: scenario → share of requests.
MIX = {"node": 40, "small_list": 30, "nested_tree": 20, "backlink": 10}

# Scenarios measured under load, in order.
SCENARIOS = ["small_list", "nested_tree", "backlink", "node", "mixed"]

DESCRIPTIONS = {
    "small_list": "small list: 10 municipalities of a county (varied county)",
    "nested_tree": "nested tree: one municipality → 25 plans → 25 measures → 25 units and 25 legal references each (varied municipality)",
    "backlink": "backlink: one legal reference → first 25 citing measures in the country with totalCount (varied reference, 50 most cited)",
    "node": "node(id) lookup of a measure (varied over 2000 measures)",
    "mixed": "mixed reads: 40% node, 30% small list, 20% nested tree, 10% backlink",
}
