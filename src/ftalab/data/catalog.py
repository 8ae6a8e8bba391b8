"""The registered datasets: metadata, files with SHA-256 checksums, readers.

Checksums were computed from the reference copies described in the project's
data provenance notes. Download addresses are pinned to a commit where the
file is published in a repository, so a download is byte-identical to the
registered file; where the publisher offers only an interactive download or
the file is a documented conversion, ``url`` is ``None`` and ``source`` says
how to obtain it.
"""

from __future__ import annotations

from ftalab.data.registry import DataFile, Dataset

__all__ = ["DATASETS"]

_GH = "https://raw.githubusercontent.com"
_TRADEPOLICY = f"{_GH}/pachadotdev/tradepolicy/master/00-application-files"
_UNCTAD_REPO = (
    f"{_GH}/carlaint/IMF-Trade-Networks/4ba119c3757a5db4241e5a0a7b39cc8885e359a0/STATA/datasets2pt"
)
_LIN = f"{_GH}/lin5698/Who-Absorbs-the-Shock-RCEP-and-Reverse-Shock-Resilience-in-the-Asia-Pacific-Trade-Network/084b5a863b0415db4aedda21e717ef7a19c24dfc"
_REVENUE = f"{_GH}/Revenue-Academy/Tax-Datasets"

_AG_FILES = {
    "1_RemovingSpecificBorder.dta": ("e589fa444ca3b6c83fdc32e99806b14799666b52b83b9c0cbdc09bb7b5d80ca5", "Chapter2"),
    "1_TradeWithoutBorder.dta": ("d9733f39e1b4f3d06e4012a9d52cfbd1e3e27b5fef386c8e1e6c269fab64f22c", "Chapter2"),
    "Chapter1Application1.dta": ("90f70f002e107cd91e4e2bed5e3dd9df535d555934c04fb86eec02995826eea6", "Chapter1"),
    "Chapter1Application2.dta": ("2b2313c0d719cc95bbe1f9886f895d233114bc76e34b1cc306d7a88704b6c97c", "Chapter1"),
    "Chapter1Exercise1.dta": ("bc6bf01c885e4f50cecb9de8af2c622efc8b3a4b4c2f0a0f46edecb1ca8d89b2", "Chapter1"),
    "Chapter1Exercise2.dta": ("dad3bb71ccfb4c179b03d77ddb87d38641f723f94cf0b43de25a331153a379a2", "Chapter1"),
    "Chapter2Application1.dta": ("c0c0c0f52e627f95e95e9bd28044f33c51b13aca43c5c1fdfb72607b3c8830fd", "Chapter2"),
    "Chapter2Application2.dta": ("60ead74eb51db9c4d0406a4b7668e97cbedbeaccf324beba362123f7ae547547", "Chapter2"),
    "Chapter2Exercise1.dta": ("92fc599c32bcb36b15713b5136e146527307905e5e8b84e567e1317d41fc37ea", "Chapter2"),
    "Chapter2Exercise2.dta": ("3fcdb567b4abe7f21fda0c0c53adc81df55028059af5589e0a778a8a13110d27", "Chapter2"),
}

_UNCTAD_SECTIONS = {
    "All": "fdb5123c6452f6640b43515b44011f255bf93083915f4f61828ea813109e9df1",
    "SITC0_Food": "d1da317d5651f3df984359970f1ec50a40da1751a1a099b3f4ff6b9a824f5e80",
    "SITC1_BevTobacco": "1f86e308b6b6c90d1e908b07ce71606d782e81484761fcabc2d3ad62c0bc5589",
    "SITC2_Crude": "83976ed10a97c0a6680bd80f1d2281f4dbe94c13be49eac4fc0b45efcf25893f",
    "SITC3_MineralFuels": "cdd6a33ec4b28f1fe7286883f4aed6ea0e247c17e9e27bd6e12d0a0029c3af32",
    "SITC4_AnimalVegOils": "c5001cf9a9ecb008d777cee4595efeee957d1080e3a7942aadb754f0ce31c717",
    "SITC5_Chemicals": "356e42a2608da31087df7f9d468f4c63cf75eab8f6bfc6ab8ab8a019c434c777",
    "SITC6_Manuf": "c2f76499186e28168b73a76e26414a5747efe5f66803beef0e0079eedaa234bb",
    "SITC7_Machinery": "bc81fc9bb6a609b546e09e8f51f21ad20054ce28331b5381b79705058c5f8a38",
    "SITC8_Misc": "d2e9d5c9f9c0c8a0684f57dec028c2c733db2ebaabb9936c6dc90e350213dd34",
    "SITC9_Commodities": "4dc8aae6f2b853a0a8346bbcf6202a5c08db8579039edd2214ec98082c2fce46",
}

_TARIFFWAR = f"{_GH}/ahmadlp/tariffwar/98636984981426dd17be3a9e532973a2995ce601"
_WIOD_REPO = f"{_GH}/bquast/wiod/59a28ac22fbd7751ea84c0f33722b5246b0af46d"
_ICIO_FILES = {
    2011: "7f16c4e759bd39e01bd2296ebc83238278675b60bd3e36bc2c2cc525ab98e8fc",
    2012: "1217a1f15ae37aba982b94cda723351f4645e514d415b849b6040ec61bd06d33",
    2013: "7be686f1bc4f196cee5f1c64e5fdf645c3ab84478f68dd14436adcd68d124103",
    2014: "125a616d375a21211868453178058b4b21ce01556e9f755228e89100edb95e34",
    2015: "94360219a9094d4913b020be7da9b5bc3a61ac1937d73a4b689436ca0d72d295",
    2016: "8647a65dfb37664755ea9df463088e25dfd44103b058a434114695d621483540",
    2017: "8e628119359a2da5db06e4ca35eee101a9f102b424bf418e0c99d0da3111220a",
    2018: "1fc1b674f7abc6e62c634b33fcbddaab4dffbfe811685971973a6e808b730ff1",
    2019: "ffab7cd0970e3617581109b98d88632fb6d29e0f10a57e30c656eca9c0f3fc11",
    2020: "6a5f7ed0764339c10adb48319754da9d03343ab2887cc5a2c25bf79e43b2a7e8",
    2021: "e4d8144b00fd50092606b1ebbc914518850e8dd01318201a14f8f689076c2149",
    2022: "2f14a0b2e19a39bf29135c399eae7418f9d9cd84ff914d0442a6092de9135c77",
}

_CONVERSION = "a documented conversion of the dataset's original files (see its description)"

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            name="advanced_guide",
            title="Yotov et al. (2016) Advanced Guide datasets, 69 countries, 1986-2006",
            description=(
                "Aggregate manufacturing trade including domestic flows, with gravity "
                "covariates and RTA dummies; the datasets of the book's Stata applications. "
                "Trade in current millions of USD."
            ),
            citation=(
                "Yotov, Y.V., Piermartini, R., Monteiro, J.-A. and Larch, M. (2016). An "
                "Advanced Guide to Trade Policy Analysis: The Structural Gravity Model. "
                "WTO and UNCTAD."
            ),
            licence="CC BY 4.0",
            homepage="https://www.wto.org/english/res_e/booksp_e/advancedwtounctad2016_e.pdf",
            files=tuple(
                DataFile(name, sha, f"{_TRADEPOLICY}/{chapter}/Datasets/{name}")
                for name, (sha, chapter) in _AG_FILES.items()
            )
            + (
                DataFile(
                    "agtpa_applications.csv.gz",
                    "02613a5a1e2745d32c1501dc1354145970357ec83bb3566f29a6ed100cc9bc5e",
                    None,
                    "CSV export of data/agtpa_applications.rda in the R package tradepolicy "
                    "(github pachadotdev/tradepolicy): in R, "
                    "write.csv(agtpa_applications, gzfile('agtpa_applications.csv.gz'), row.names=FALSE)",
                ),
            ),
            reader="ftalab.data.readers.advanced_guide:read_advanced_guide",
        ),
        Dataset(
            name="unctad_trade_matrix_2015",
            title="UNCTADstat merchandise trade matrix, exports, 2015, total and SITC sections",
            description=(
                "Bilateral merchandise exports by exporter and partner, 2015, about 220 "
                "economies, all products and SITC 1-digit sections (sections sum to the "
                "total). Exporter-reported; thousands of current USD; missing pairs are "
                "unknown, not zero."
            ),
            citation="UNCTAD (2017). UNCTADstat, Merchandise trade matrix, exports, annual, 2015.",
            licence="UNCTADstat terms: reuse with attribution ('Source: UNCTADstat'); verify before publication",
            homepage="https://unctadstat.unctad.org",
            files=tuple(
                DataFile(f"orig/15DiGraph_{sec}.dta", sha, f"{_UNCTAD_REPO}/15DiGraph_{sec}.dta")
                for sec, sha in _UNCTAD_SECTIONS.items()
            )
            + (
                DataFile(
                    "unctad_merch_exports_2015_by_sitc.csv.gz",
                    "7da3888152bb40cbac21f343eebb734e7958d0f075234f36d14a7743efbbd1cb",
                    None,
                    _CONVERSION,
                ),
                DataFile(
                    "name_to_iso3.csv",
                    "6a09d89eda488afab1dc7e90f3a27c93502838ee1f4c168e8ec04f9b7172f8ae",
                    None,
                    _CONVERSION,
                ),
            ),
            reader="ftalab.data.readers.unctad:read_unctad_trade_matrix_2015",
            caveats=(
                "missing pairs are unknown, not zero",
                "goods only; exporter-reported values",
                "name-to-ISO3 mapping reviewed for micro-states by ftalab's concordance",
            ),
        ),
        Dataset(
            name="wits_trade_2009",
            title="WITS / UN Comtrade total merchandise trade, 2009, raw reporter records",
            description=(
                "Country-level total merchandise imports and exports as reported to UN "
                "Comtrade, 2009 (thousand USD), and a harmonised 197x197 matrix built by "
                "its collector. ftalab rebuilds the matrix from the raw file with a source "
                "flag per cell."
            ),
            citation="UN Comtrade / World Bank WITS (2010), total merchandise trade 2009; extract by C. Grasland.",
            licence="UN Comtrade / WITS terms: use with attribution; not an open licence",
            homepage="https://wits.worldbank.org",
            files=(
                DataFile(
                    "WITS_trade2009.csv",
                    "92aaca4c574681a439c65b7744b764bd347f2d9df6446ecb96015588a4c418cc",
                    f"{_GH}/ClaudeGrasland/trade/1462ea863abcb81a611c59bdd4b3c2eb9d4a4ebc/data/WITS_trade2009.csv",
                ),
                DataFile(
                    "WITS_Trade2009_harmonized_flows.csv",
                    "a81e15cf225a652f05833ee9dd82845ae052a2796be856a098d1f202310b66d1",
                    f"{_GH}/ClaudeGrasland/trade/1462ea863abcb81a611c59bdd4b3c2eb9d4a4ebc/data/WITS_Trade2009_harmonized_flows.csv",
                ),
            ),
            reader="ftalab.data.readers.wits:read_wits_trade_2009",
        ),
        Dataset(
            name="cepii_geodist",
            title="CEPII GeoDist: bilateral distances and country geography",
            description=(
                "Distances (simple, capital, population-weighted), contiguity, common "
                "language, colonial ties; country file with landlocked status and "
                "capitals. Legacy ISO3 codes (ROM, ZAR, YUG, TMP, PAL); '.' is missing."
            ),
            citation="Mayer, T. and Zignago, S. (2011). Notes on CEPII's distances measures: the GeoDist database. CEPII WP 2011-25.",
            licence="Etalab Open Licence 2.0 (CEPII); check the CEPII page before publishing",
            homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
            files=tuple(
                DataFile(
                    name,
                    sha,
                    f"{_GH}/chrisssch/world-trade/d1fe9fa80ef19222fccb9b976b0cbb57d90b8aee/data/{name}",
                )
                for name, sha in {
                    "dist_cepii.csv": "f6d0d46067556453455d95dcf0a67771b4d9202e960c69c293db3e685df16ea7",
                    "geo_cepii.csv": "6bd0c211b6a305207d6255736a73a90e1081590f64de58e21f92c3ffcfba47d8",
                }.items()
            ),
            reader="ftalab.data.readers.cepii:read_cepii_geodist",
        ),
        Dataset(
            name="wb_dta_rta",
            title="World Bank Deep Trade Agreements toolkit: bilateral RTA membership by pair and year",
            description=(
                "One row per agreement, exporter, importer and year in force, 1958-2023, "
                "381 agreements. The `rta` flag is 1 for every agreement type; ftalab's "
                "agreement registry adds types and fills the EAEU after 2018."
            ),
            citation=(
                "Fontagné, L., Rocha, N., Ruta, M. and Santoni, G. (2023). The Economic Impact "
                "of Deepening Trade Agreements. World Bank Economic Review; Mattoo, Rocha and "
                "Ruta (2020), Handbook of Deep Trade Agreements."
            ),
            licence="unclear (World Bank DTA data are generally CC BY 4.0); use with attribution",
            homepage="https://datatopics.worldbank.org/dta/",
            files=(
                DataFile(
                    "bilateral_rta_Toolkit_202401.zip",
                    "0214d1ca0a2b3f188c5ba43898a69eefd1f1b161d3adf6d3c8033bd36c6f03ca",
                    f"{_GH}/anthoninlevelu/WB_DTA_Toolkit_dev/96de96fcce2ae72e54ac8a198f720ca19a036146/2b.res_temp/bilateral_rta_Toolkit_202401.zip",
                ),
                DataFile(
                    "bilateral_rta_Toolkit_202401.csv.gz",
                    "b9cfd956ecc84327a1f459446fbd6faf2cde5351e683dbaa0040781ce1023d9b",
                    None,
                    _CONVERSION,
                ),
            ),
            reader="ftalab.data.readers.dta:read_wb_dta_rta",
        ),
        Dataset(
            name="wdi",
            title="World Bank WDI extracts: GDP (current and constant USD), tariff rates (47 countries)",
            description=(
                "GDP in current USD 2005-2020 (the series consistent with current-dollar "
                "trade), GDP in constant 2010 USD 2009-2018, and weighted tariff rates for "
                "47 countries."
            ),
            citation="World Bank, World Development Indicators.",
            licence="CC BY 4.0",
            homepage="https://databank.worldbank.org/source/world-development-indicators",
            files=(
                DataFile(
                    "WDI_GDP_current_usd_2005_2020.csv",
                    "ccb831bf31eb578fee3912902f393690bd4ef44d2c17460c99c26d8c40c0ec4d",
                    f"{_GH}/peter-herman/estimating_nondiscriminatory_trade_costs/01894c910ed03158ce9e4f1880b797f03645e935/data/source_data/WDI%20GDP/WDI%20GDP%20data%2008-05-2021.csv",
                ),
                DataFile(
                    "WDI_GDP_constant2010usd_2009_2018.csv",
                    "667e87fe9c7b88ccd87dd31c8b922402c6844a6eec4d22e48c493df4d4a43211",
                    f"{_GH}/chrisssch/world-trade/0988aadd9f1c8782832d5962764f6a20a74409cd/data/worldbank_gdp.csv",
                ),
                DataFile(
                    "WDI_tariff_rates_2005_2022_subset47.csv",
                    "d80c7c485bc4bfd1f575962c4fbb7feb8681f227782063eddf38c9032b877c35",
                    None,
                    "WDI API download of TM.TAX.MRCH.WM.AR.ZS and TM.TAX.MRCH.WM.FN.ZS with a corrected `indicator` column",
                ),
            ),
            reader="ftalab.data.readers.wdi:read_wdi_gdp",
        ),
        Dataset(
            name="wdi_tariffs_2025",
            title="WDI weighted-mean tariffs, applied and MFN, all products, 1988-2022",
            description=(
                "TM.TAX.MRCH.WM.AR.ZS (applied) and TM.TAX.MRCH.WM.FN.ZS (MFN), weighted "
                "mean over all products, percent, 266 economies, vintage 2025-10-07."
            ),
            citation="World Bank, World Development Indicators (2025), from WITS/TRAINS and WTO IDB.",
            licence="CC BY 4.0",
            homepage="https://data.worldbank.org/indicator/TM.TAX.MRCH.WM.FN.ZS",
            files=(
                DataFile(
                    "API_TM.TAX.MRCH.WM.AR.ZS_DS2_en_excel_v2_129989.xls",
                    "6e66b1760f2b151dfd932f162794fd501f1be8e8662801fdf69ce505d8fbb753",
                    f"{_GH}/isa-j/Stat-App/85a6b4414066d3729a07c83dbf509588ffc14d86/Data/API_TM.TAX.MRCH.WM.AR.ZS_DS2_en_excel_v2_129989.xls",
                ),
                DataFile(
                    "API_TM.TAX.MRCH.WM.FN.ZS_DS2_en_excel_v2_128528.xls",
                    "0e4a94564529392a1243b9f61b10f80896d8fab386033a664505fc289d590fdf",
                    f"{_GH}/isa-j/Stat-App/85a6b4414066d3729a07c83dbf509588ffc14d86/Data/API_TM.TAX.MRCH.WM.FN.ZS_DS2_en_excel_v2_128528.xls",
                ),
                DataFile(
                    "wdi_tariff_weighted_applied_mfn_long.csv",
                    "616dcf874ba66c843d9027e79cad23f37122081cd14727d8d5887169fcde2bae",
                    None,
                    _CONVERSION,
                ),
            ),
            reader="ftalab.data.readers.wdi:read_wdi_tariffs_2025",
            caveats=("BLR and KGZ MFN values jump in 2019 (10.95, 17.50): in the source",),
        ),
        Dataset(
            name="unctad_mfn_tariffs_manuf",
            title="UNCTAD TRAINS MFN simple-average tariffs on manufactures by product group, 1988-2017",
            description="MFN simple averages by market and six manufacturing product groups; UNCTAD market names.",
            citation="UNCTAD, UNCTADstat, MFN tariff rates by product group (TRAINS).",
            licence="UNCTADstat terms: reuse with attribution; verify",
            homepage="https://unctadstat.unctad.org",
            files=(
                DataFile(
                    "us_tariff_06356461732761.csv",
                    "7d9e3eecf1296b78b887aacf6a4b40edb978668a1e580c15b20e9b32d13c2519",
                    f"{_REVENUE}/4a71411b8627ef37da3bfd31c3484300f3192170/Country-Year%20Data/us_tariff_06356461732761.csv",
                ),
                DataFile(
                    "unctad_mfn_simple_avg_manuf_groups_long.csv",
                    "b2689ccb30b3474872a432b4074792ba3fa7874fbc654319f69aecbaddf4ef1a",
                    None,
                    _CONVERSION,
                ),
            ),
            reader="ftalab.data.readers.unctad:read_unctad_mfn_tariffs_manuf",
        ),
        Dataset(
            name="doing_business_hist",
            title="World Bank Doing Business historical data DB2004-DB2019 (Trading across Borders)",
            description=(
                "Time and cost to export and import. DB2015-2019 method: border and "
                "documentary compliance in hours and USD; DB2006-2015 method: days, "
                "documents, USD per container. CHN, IND, PAK, RUS rows are one city."
            ),
            citation="World Bank (2019). Doing Business 2019, historical data with scores.",
            licence="CC BY 4.0",
            homepage="https://archive.doingbusiness.org/en/data",
            files=(
                DataFile(
                    "Historical-data---complete-data-with-scores.xlsx",
                    "ff18d4fd2ade11f7e1d95a2436f8a3316dfabba01e5b5d3f4933f734f16d6cca",
                    f"{_REVENUE}/7d77c0a48ba072680f90a33a6dc9235510d43de6/Historical-data---complete-data-with-scores.xlsx",
                ),
                DataFile(
                    "db2019_trading_across_borders_2004_2019.csv",
                    "dc4fb8b9f2ab7dbc321f8177edaa3267e6d6f93b154f9fce68fc049a36971ad5",
                    None,
                    _CONVERSION,
                ),
            ),
            reader="ftalab.data.readers.doing_business:read_doing_business_hist",
        ),
        Dataset(
            name="wb_lpi",
            title="World Bank Logistics Performance Index 2010-2016",
            description="LPI overall score and six components (1-5 scale), about 160 countries per edition.",
            citation="Arvis, J.-F. et al. Connecting to Compete (2010, 2012, 2014, 2016). World Bank.",
            licence="CC BY 4.0",
            homepage="https://lpi.worldbank.org",
            files=(
                DataFile(
                    "lpi_2010_2016.csv",
                    "c67709a31c5bf71dfcd3d2eb3f1660de19884e67d298268aef7205d171879f23",
                    f"{_GH}/bradleyboehmke/LPI-Rankings/cadfd4fe509a5de2da41cb6e2444dcd270f968c5/data/lpi.csv",
                ),
            ),
            reader="ftalab.data.readers.lpi:read_wb_lpi",
        ),
        Dataset(
            name="wto_tariffs",
            title="WTO final bound duties, simple average, all products",
            description="Bound (ceiling) tariffs by WTO member; not applied rates.",
            citation="WTO, Tariff & Trade Data portal, final bound duties.",
            licence="WTO terms: reuse with attribution",
            homepage="https://ttd.wto.org",
            files=(
                DataFile(
                    "wto_bound_duty_all_products.csv",
                    "8cb6a6dc0753b47b8bebd57960fcef46977fc70895dbe716c90ac5a29490c3bc",
                    f"{_LIN}/data_acquisition/indicators_final_bound_duty_22_02_2026_16_59_09.csv",
                ),
            ),
            reader="ftalab.data.readers.wto:read_wto_bound_tariffs",
            caveats=("bound rates are ceilings: never use them as applied rates",),
        ),
        Dataset(
            name="gegravity_sample",
            title="USITC gegravity example data: 30 countries, 2006",
            description="Aggregate trade among 30 countries incl. domestic flows, with output, expenditure and gravity covariates.",
            citation="Herman, P.R. gegravity: General equilibrium gravity modeling in Python. USITC.",
            licence="MIT (gegravity repository)",
            homepage="https://github.com/peter-herman/gegravity",
            files=(
                DataFile(
                    "sample_data_set.dlm",
                    "9a81286e50bc05e681a265929c1474dc9bb11812c689ce9b76f1bb629f723f13",
                    f"{_GH}/peter-herman/gegravity/771e66661a048f4885b4c979d60a7af51e3de7f1/examples/sample_data_set.dlm",
                ),
            ),
            reader="ftalab.data.readers.gegravity:read_gegravity_sample",
        ),
        # --- sector worlds (issue 10): OECD ICIO via tariffwar, WIOD 2013 ---
        Dataset(
            name="icio_extended",
            title="OECD ICIO (extended 2023 edition) sector world, 81 economies x 28 sectors, 2011-2022",
            description=(
                "Gross bilateral flows by sector incl. domestic sales, [sector, importer, exporter], "
                "millions of current USD, with bilateral applied tariffs (Global Tariff Database; "
                "the 2022 file repeats the 2021 rates) and 8 published elasticity sets; MATLAB "
                "v7.3 (HDF5) files built by the tariffwar package. KGZ, TJK, UZB and IRN are "
                "inside ROW. No input-output coefficients."
            ),
            citation=(
                "OECD (2023), Inter-Country Input-Output tables, extended edition; Teti, F. (2024), "
                "30+ Years of Trade Policy: Evidence from 160 Countries, ECARES WP 2024-04; files "
                "from the tariffwar package (A. Lashkaripour)."
            ),
            licence="OECD terms (reuse with attribution); Global Tariff Database: cite Teti (2024); no licence file in the tariffwar repository",
            homepage="https://github.com/ahmadlp/tariffwar",
            files=tuple(
                DataFile(f"ICIO{year}.mat", sha, f"{_TARIFFWAR}/mat/ICIO{year}.mat")
                for year, sha in _ICIO_FILES.items()
            ),
            reader="ftalab.data.readers.icio:read_icio",
            caveats=(
                "tariffs need cleaning before use (ftalab.data.icio_tariffs.clean_icio_tariffs): "
                "services carry non-zero rates, intra-EAEU rates are not zero, RUS's rates on "
                "EAEU-preference countries disagree with BLR's and KAZ's under the common tariff",
                "ROW's tariffs are 0 in both directions: unknown, not free trade",
                "the 2022 file carries the 2021 tariffs",
            ),
        ),
        Dataset(
            name="wiod_2013",
            title="World Input-Output Table 2011 (WIOD 2013 release), 41 regions x 35 industries",
            description=(
                "Intermediate use (1435 x 1435), final use (5 categories x 41 regions) and gross "
                "output, millions of USD, 40 countries + RoW x 35 NACE rev.1 industries, as an R "
                "list in wiot_2011.RData (read with the rdata package); industry codes in "
                "WIOD_IndClass.rda."
            ),
            citation=(
                "Timmer, M.P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G.J. (2015). An "
                "Illustrated User Guide to the World Input-Output Database: the Case of Global "
                "Automotive Production. Review of International Economics 23: 575-605."
            ),
            licence="free to use with citation (WIOD); R package bquast/wiod is GPL-3 (data only used)",
            homepage="https://www.rug.nl/ggdc/valuechain/wiod/wiod-2013-release",
            files=(
                DataFile(
                    "wiot_2011.RData",
                    "8345949612ef0ed824e4e07e140b0ce0b4c77a758975116544a2db660560efb0",
                    f"{_WIOD_REPO}/data/wiot_2011.RData",
                ),
                DataFile(
                    "WIOD_IndClass.rda",
                    "389365d88c09a126decf670728dd2e95ee0ccce4c062899fb251c951028eaec3",
                    f"{_WIOD_REPO}/data/WIOD_IndClass.rda",
                ),
            ),
            reader="ftalab.data.readers.wiod:read_wiod_2011",
            caveats=("of the SCO only CHN, IND and RUS have their own table; the rest is in RoW",),
        ),
        Dataset(
            name="baci",
            title="CEPII BACI: bilateral trade flows at the HS6 product level",
            description="Official layout t,i,j,k,v,q (v in thousand USD, k a 6-digit HS code) with a country_codes file.",
            citation="Gaulier, G. and Zignago, S. (2010). BACI: International Trade Database at the Product-Level. CEPII WP 2010-23.",
            licence="Etalab Open Licence 2.0",
            homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
            user_supplied=True,
            instructions=(
                "download a BACI release (e.g. BACI_HS17_V202401.zip) from the CEPII BACI page "
                "(free registration), unzip it and pass the folder to "
                "ftalab.data.readers.baci.read_baci(path)"
            ),
            reader="ftalab.data.readers.baci:read_baci",
        ),
        Dataset(
            name="itpd_e",
            title="USITC International Trade and Production Database for Estimation (ITPD-E)",
            description="Trade by industry incl. domestic flows, million USD; columns exporter_iso3, importer_iso3, year, industry_id, broad_sector, trade.",
            citation="Borchert, I., Larch, M., Shikher, S. and Yotov, Y. (2021). The International Trade and Production Database for Estimation (ITPD-E). International Economics 166.",
            licence="USITC public data",
            homepage="https://www.usitc.gov/data/gravity/itpde.htm",
            user_supplied=True,
            instructions=(
                "download ITPD-E (e.g. ITPDE_R02.zip) from the USITC gravity portal, unzip it and "
                "pass the CSV to ftalab.data.readers.itpd.read_itpd_e(path)"
            ),
            reader="ftalab.data.readers.itpd:read_itpd_e",
        ),
        Dataset(
            name="cepii_gravity",
            title="CEPII Gravity database",
            description="Pair-year gravity covariates: iso3_o, iso3_d, year, distw_harmonic, contig, comlang_off, fta_wto, ...",
            citation="Conte, M., Cotterlaz, P. and Mayer, T. (2022). The CEPII Gravity database. CEPII WP 2022-05.",
            licence="Etalab Open Licence 2.0",
            homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=8",
            user_supplied=True,
            instructions=(
                "download Gravity_csv_V202211.zip from the CEPII Gravity page, unzip it and pass "
                "the CSV to ftalab.data.readers.cepii.read_cepii_gravity(path)"
            ),
            reader="ftalab.data.readers.cepii:read_cepii_gravity",
        ),
        Dataset(
            name="baci_2023_totals",
            title="CEPII BACI 2023 bilateral goods trade totals, 194 x 194, with WDI GDP 2023",
            description=(
                "Total goods trade over all HS6 products, CEPII BACI HS22 release V202501, "
                "2023, 194 economies (row = exporter, column = importer in the order of "
                "country_labels.csv), thousands of current USD; pairs nobody reported are "
                "empty (unknown, not zero). gdp.csv: World Bank WDI GDP, current USD, 2023."
            ),
            citation=(
                "Gaulier, G. and Zignago, S. (2010). BACI: International Trade Database at the "
                "Product-Level. CEPII WP 2010-23 (release HS22 V202501); World Bank, World "
                "Development Indicators (NY.GDP.MKTP.CD). Matrix as assembled for the "
                "replication of Ignatenko, Macedoni, Lashkaripour and Simonovska (JIE 2025)."
            ),
            licence="Etalab Open Licence 2.0 (BACI); CC BY 4.0 (WDI)",
            homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
            files=tuple(
                DataFile(
                    name,
                    sha,
                    f"{_GH}/JoeLoera/liberation-day-replication/e1f26fdbebd5de80daaad03bdb8dbca1cf24e22d/data/base_data/{name}",
                )
                for name, sha in {
                    "country_codes_V202501.csv": "c6892f28bea23d689b29b074d299cea7f5196c708b03026fbe419fa4ecb4e820",
                    "country_labels.csv": "f38268db3d579a6454313d7824d9d6f717be5a3c69cd05a64b713c6650ecf2ff",
                    "gdp.csv": "8b0fcf7a3af21bb98c8390f74a70724beb5bad84f7c0f765ec0a2f41b704a6df",
                    "trade_cepii.csv": "bd11e31857895ee12bc636bc8c5f854918ce2ba2855faea0488df67b8a992e4d",
                }.items()
            ),
            reader="ftalab.data.readers.baci_totals:read_baci_totals",
            caveats=(
                "pairs with no reporter on either side (RUS<->BLR, RUS<->IRN, ...) are unknown, not zero",
                "totals of non-reporters are truncated (BLR exports 7.0 bn, IRN 12.9 bn USD)",
                "entrepot trade (CHN->KGZ 18.2 bn USD vs KGZ GDP 14.0 bn) is not absorption",
            ),
        ),
    ]
}
