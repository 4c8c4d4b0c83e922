// Example queries over the seed content (and one mutation), opened as tabs on a first visit
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
];
