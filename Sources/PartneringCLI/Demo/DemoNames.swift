/// Names for demo data: French and international, with accents, as at a Paris partnering day.
enum DemoNames {
    static let firstNames = [
        "Hélène", "Amélie", "Chloé", "Léa", "Zoé", "Maëlle", "Océane", "Noémie", "Inès", "Mathilde",
        "François", "Jérôme", "Loïc", "Gaël", "Benoît", "Théo", "Raphaël", "Clément", "Étienne", "Grégoire",
        "Anna", "Sofia", "Lukas", "Jürgen", "Søren", "Björn", "Małgorzata", "Paweł", "Núria", "José",
        "Giulia", "Matteo", "Ioana", "Dragoș", "Aoife", "Siobhán", "Emily", "James", "Priya", "Rahul",
        "Yuki", "Haruto", "Mei", "Wei", "Fatima", "Youssef", "Amira", "Olúwadámilọ́lá", "Ana", "João",
    ]

    static let lastNames = [
        "Dupré", "Lefèvre", "Gérard", "Benoît", "Moreau", "Rousseau", "Lemaître", "Desprès", "Fournier", "Girard",
        "Caron", "Chevalier", "Mercier", "Bonnet", "Lambert", "Faure", "Giraud", "Brun", "Roux", "Perrin",
        "Müller", "Schäfer", "Köhler", "Jørgensen", "Åberg", "Nowak", "Wiśniewski", "García", "Muñoz", "Peña",
        "Rossi", "Esposito", "Popescu", "Ó Briain", "Murphy", "Smith", "O'Connor", "Patel", "Sharma", "Tanaka",
        "Suzuki", "Chen", "Zhang", "El Amrani", "Benali", "Adébáyọ̀", "Silva", "Gonçalves", "Van den Berg", "De Smet",
    ]

    /// Company stems and legal forms by country, so that names look like the real mix.
    static let companyStems = [
        "Hémato", "Lympho", "Myélo", "Onco", "Immuno", "Cellule", "Théra", "Genomi", "Cyto", "Medull",
        "Antigen", "Clonal", "Vectis", "Nexa", "Aurore", "Helix", "Kinase", "Stella", "Azur", "Boréal",
    ]
    static let companySuffixes = [
        "Bio", "Therapeutics", "Pharma", "Diagnostics", "Sciences", "Cell", "Gen", "Medical", "Labs", "Health",
    ]
    static let legalForms: [String: String] = [
        "FR": "SAS", "DE": "GmbH", "CH": "AG", "US": "Inc.", "GB": "Ltd", "BE": "SA", "NL": "B.V.",
        "IT": "S.r.l.", "ES": "S.L.", "DK": "ApS", "SE": "AB", "JP": "K.K.", "IL": "Ltd", "CA": "Inc.",
    ]
    /// Half the companies come from abroad.
    static let companyCountries = [
        "FR", "FR", "FR", "FR", "FR", "FR", "FR", "DE", "CH", "US", "US", "GB", "BE", "NL", "IT", "ES", "DK",
        "SE", "JP", "IL", "CA",
    ]

    static let institutions: [(name: String, country: String)] = [
        ("Hôpital Saint-Louis, AP-HP", "FR"), ("Institut Gustave Roussy", "FR"), ("Institut Curie", "FR"),
        ("Université Paris Cité", "FR"), ("Inserm", "FR"), ("CNRS", "FR"), ("Institut Imagine", "FR"),
        ("Hôpital Necker-Enfants malades, AP-HP", "FR"), ("Hôpital de la Pitié-Salpêtrière, AP-HP", "FR"),
        ("Centre Léon Bérard", "FR"), ("Institut Paoli-Calmettes", "FR"), ("CHU de Toulouse — IUCT Oncopole", "FR"),
        ("CHU de Nantes", "FR"), ("CHU de Lille", "FR"), ("Institut Pasteur", "FR"), ("Sorbonne Université", "FR"),
        ("Universitätsklinikum Heidelberg", "DE"), ("Charité — Universitätsmedizin Berlin", "DE"),
        ("Karolinska Institutet", "SE"), ("Rigshospitalet", "DK"), ("KU Leuven", "BE"),
        ("Università di Bologna", "IT"), ("Hospital Clínic de Barcelona", "ES"), ("University of Oxford", "GB"),
    ]
    static let expertTitles = [
        "Professeur d'hématologie", "Cheffe de service d'hématologie clinique", "Directeur de recherche Inserm",
        "Chargée de recherche CNRS", "Praticien hospitalier", "Research group leader", "Professor of Haematology",
        "Clinical scientist", "Biologiste médicale", "Bioinformaticien",
    ]
    static let companyTitles = [
        "Business Development Director", "Head of Partnering", "Chief Scientific Officer", "Directrice R&D",
        "Responsable des partenariats", "Licensing Manager", "VP Clinical Development", "Directeur général",
        "Head of External Innovation", "Medical Affairs Lead",
    ]
}
