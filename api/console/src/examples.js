// Example queries over the seed content (and a mutation and a subscription), opened as tabs on a first visit
// (GraphiQL uses them only while the browser has no saved tabs).
// Each starts with a comment naming it; GraphiQL titles a tab by its operation name.

export const exampleTabs = [
  {
    query: `# Rauma: handlingsdel og tiltak
query RaumaTiltak {
  municipality(number: "1539") {
    name
    plans(first: 10) {
      totalCount
      edges {
        node {
          title
          kind
          measures(first: 20) {
            totalCount
            edges {
              node {
                number
                title
                units(first: 10) {
                  edges {
                    role
                    node {
                      name
                      kind
                    }
                  }
                }
                legalReferences(first: 10) {
                  edges {
                    node {
                      citation
                      url
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Lovhenvisning: barnevernsloven § 15-1
query Forankring {
  legalReference(lovdataId: "LOV-2021-06-18-97", section: "15-1") {
    citation
    url
    law {
      shortTitle
    }
    measures(first: 20) {
      totalCount
      edges {
        node {
          title
          municipality {
            name
          }
        }
      }
    }
    plans(first: 20) {
      totalCount
      edges {
        node {
          title
          owners(first: 5) {
            edges {
              node {
                name
              }
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Felles plan (Mosseregionen)
query FellesPlan {
  plans(filter: { search: "vold i nære relasjoner" }, first: 5) {
    edges {
      node {
        title
        kind
        owners(first: 5) {
          totalCount
          edges {
            node {
              number
              name
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Redigering: ny plan (krever token)
#
# Endringer krever et API-token. Lag et på serveren:
#
#   oppvekstgraf token create --municipality 1539 --role editor --name "Mitt navn"
#
# Kommandoen skriver tokenet (ogt_…) én gang; lim det inn i API-token-feltet
# øverst og trykk «Logg inn». Planen eies av tokenets kommune og starter som
# utkast (DRAFT): kryss av for «Forhåndsvisning (utkast)» for å se den i spørringer.
mutation NyPlan {
  planCreate(input: { title: "Ny temaplan (utkast)", kind: THEMATIC_PLAN }) {
    plan {
      id
      title
      status
      owners {
        nodes {
          name
        }
      }
    }
    revision {
      action
      actorName
    }
  }
}
`,
  },
  {
    query: `# Endringer (abonnement)
#
# Viser endringer idet de lagres, til du trykker stopp (samme knapp som kjør).
# Lag en endring fra et annet nettleservindu, f.eks. med fanen NyPlan der,
# og se hendelsen komme her. Uten token ser du endringer i publisert innhold;
# innlogget med «Forhåndsvisning (utkast)» også kommunens utkast.
# Filtrer med changes(municipality: "1539", types: ["Measure", "Plan"]).
subscription Endringer {
  changes {
    action
    nodeType
    nodeId
    nodeVersion
    node {
      id
      ... on Measure {
        title
        status
      }
    }
  }
}
`,
  },
  {
    query: `# Endringslogg (changes)
#
# De første 20 hendelsene i endringsloggen, eldste først. Ta vare på
# «cursor» og spør igjen med changes(after: "<cursor>") for å hente det
# som har kommet siden; «hasMore» sier om det ligger flere klare.
query Endringslogg {
  changes(first: 20) {
    cursor
    hasMore
    changes {
      cursor
      action
      nodeType
      nodeId
      createdAt
      municipality {
        name
      }
    }
  }
}
`,
  },
];
